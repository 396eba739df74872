// Demo data (filled in below).
import type { Platform } from '../../platform/platform.js';
export async function loadDemoReports(_p: Platform): Promise<void> {}

import { render } from 'preact-render-to-string';
import type { VNode } from 'preact';

export function renderHtml(vnode: VNode): string {
  return '<!doctype html>' + render(vnode);
}
export * from './context.js';
export * from './layout.js';
export * from './components.js';

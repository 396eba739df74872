// 好差评 (service rating): the one five-level scale of REGULATIONS.md §8, used by every module
// that asks people to rate a service (appeals, service guides). Stored and sent as these codes.

export const RATINGS = ['very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

/** The levels counted as satisfied in a satisfaction rate (满意率). */
export const SATISFIED_RATINGS: readonly Rating[] = ['very-satisfied', 'satisfied', 'basically-satisfied'];

export const isRating = (s: string): s is Rating => (RATINGS as readonly string[]).includes(s);

/** 差评: not satisfied or very dissatisfied (a real-name one is called back; an appeal may be reopened). */
export const isDissatisfied = (s: string): boolean => s === 'dissatisfied' || s === 'very-dissatisfied';

/** Message key of a level's label (非常满意 …); an unknown code comes back as a key that shows as itself. */
export const ratingLabel = (r: string): string => `rating.${r}`;

/** The labels, merged into the platform's message catalogues. */
export const RATING_MESSAGES: { 'zh-CN': Record<string, string>; en: Record<string, string> } = {
  'zh-CN': {
    'rating.very-satisfied': '非常满意',
    'rating.satisfied': '满意',
    'rating.basically-satisfied': '基本满意',
    'rating.dissatisfied': '不满意',
    'rating.very-dissatisfied': '非常不满意',
  },
  en: {
    'rating.very-satisfied': 'Very satisfied',
    'rating.satisfied': 'Satisfied',
    'rating.basically-satisfied': 'Basically satisfied',
    'rating.dissatisfied': 'Dissatisfied',
    'rating.very-dissatisfied': 'Very dissatisfied',
  },
};

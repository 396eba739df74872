// Every text a person sees, in Chinese and English (keys prefixed with the module's name).
export const noticeMessages = {
  'zh-CN': {
    'nav.notices': '通知公告',
    'notices.title': '通知公告',
    'notices.description': '{name}正在公示的通知公告，每条注明公示截止日期。',
    'notices.empty': '暂无正在公示的通知。',
    'notices.closes_on': '公示至 {date}',
    'notices.err.days': '公示期须为 5 至 90 日。',
    'notices.display_days': '公示天数',
    'notices.item_type': '通知公告',
  },
  en: {
    'nav.notices': 'Notices',
    'notices.title': 'Notices',
    'notices.description': 'Notices of {name} now on display, each with the date its display ends.',
    'notices.empty': 'No notice is on display.',
    'notices.closes_on': 'on display until {date}',
    'notices.err.days': 'The display period must be 5 to 90 days.',
    'notices.display_days': 'Days on display',
    'notices.item_type': 'Notice',
  },
};

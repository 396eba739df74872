// Messages of the staff inbox (platform part: messaging).
export const inboxMessages = {
  'zh-CN': {
    'nav.inbox': '消息',
    'inbox.title': '消息',
    'inbox.none': '没有消息。',
    'inbox.mark_read': '标为已读',
    'inbox.mark_all_read': '全部标为已读',
    'inbox.read': '已读',
    'inbox.unread_label': '未读',
    'inbox.kind.warning': '预警',
    'inbox.kind.overdue': '超期',
    'inbox.kind.escalation': '超期督办',
    'inbox.kind.urge': '督办',
  } as Record<string, string>,
  en: {
    'nav.inbox': 'Inbox',
    'inbox.title': 'Inbox',
    'inbox.none': 'No notifications.',
    'inbox.mark_read': 'Mark read',
    'inbox.mark_all_read': 'Mark all read',
    'inbox.read': 'read',
    'inbox.unread_label': 'unread',
    'inbox.kind.warning': 'Warning',
    'inbox.kind.overdue': 'Overdue',
    'inbox.kind.escalation': 'Overdue (escalated)',
    'inbox.kind.urge': 'Urged (督办)',
  } as Record<string, string>,
};

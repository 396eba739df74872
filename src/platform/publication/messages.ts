// Messages of the publication spine (workflow refusals), in the platform part so that they exist
// whichever capability modules are mounted: workflow refusals, status labels, the Art. 20 categories.
import { CATEGORIES, CATEGORY_NAMES, CATEGORY_NAMES_EN } from '../taxonomy/index.js';
export const STATUS_ZH: Record<string, string> = { draft: '草稿', secrecy_review: '待保密审查', review: '待审核', signing: '待签发', scheduled: '定时发布', published: '已发布', withdrawn: '已撤回', superseded: '已被替代' };
export const STATUS_EN: Record<string, string> = { draft: 'Draft', secrecy_review: 'Secrecy review', review: 'Review', signing: 'Signing', scheduled: 'Scheduled', published: 'Published', withdrawn: 'Withdrawn', superseded: 'Superseded' };

export const publicationMessages = {
  'zh-CN': {
    'err.pub.bad_transition': '当前状态（{status}）下不能执行“{action}”。',
    'err.pub.unknown_action': '未知的流程操作。',
    'err.pub.reason_required': '请填写理由。',
    'err.pub.author_cannot_approve': '起草人（及修改过该版本的人）不能审批该版本。',
    'err.pub.one_stage_only': '同一人不能审批同一版本的两个环节。',
    'err.pub.not_editable': '该版本正在审批中（{status}），不能编辑；如需修改请先退回。',
    'err.pub.concurrent_edit': '该信息刚被他人修改，请刷新后重试。',
    'err.pub.not_proactive': '只有“主动公开”的信息才能提交发布。',
    'err.pub.expiry_before_effective': '失效日期须晚于生效日期。',
    'err.pub.ground_required': '不予公开须注明法律依据。',
    'err.pub.no_right_submit': '您不能提交该部门的信息。',
    'err.pub.no_right_secrecy_review': '您没有保密审查的权限。',
    'err.pub.no_right_review': '您没有审核的权限。',
    'err.pub.no_right_signing': '您没有签发的权限。',
    'err.pub.no_right_withdraw': '您没有撤回、废止或宣布失效的权限。',
    'err.pub.already': '该信息已经是“{validity}”状态。',
    'publication.section.catalog': '政府信息公开',
    'publication.section.interaction': '互动交流',
    'publication.type.other': '其他信息',
  } as Record<string, string>,
  en: {
    'err.pub.bad_transition': 'Cannot "{action}" an item in status "{status}".',
    'err.pub.unknown_action': 'Unknown workflow action.',
    'err.pub.reason_required': 'A reason is required.',
    'err.pub.author_cannot_approve': 'The author of a version (and anyone who edited it) cannot approve it.',
    'err.pub.one_stage_only': 'One person cannot approve two stages of the same version.',
    'err.pub.not_editable': 'This version is under review ({status}) and cannot be edited; return it to draft first.',
    'err.pub.concurrent_edit': 'Someone else just changed this item; reload and try again.',
    'err.pub.not_proactive': 'Only proactively disclosed items can be submitted for publication.',
    'err.pub.expiry_before_effective': 'The expiry date must be after the effective date.',
    'err.pub.ground_required': 'Give the legal ground for not disclosing.',
    'err.pub.no_right_submit': 'You cannot submit items of this department.',
    'err.pub.no_right_secrecy_review': 'You may not do secrecy review.',
    'err.pub.no_right_review': 'You may not review.',
    'err.pub.no_right_signing': 'You may not sign off.',
    'err.pub.no_right_withdraw': 'You may not withdraw, repeal or expire items.',
    'err.pub.already': 'The item is already "{validity}".',
    'publication.section.catalog': 'Government information',
    'publication.section.interaction': 'Public interaction',
    'publication.type.other': 'Other information',
  } as Record<string, string>,
};

for (const [k, v] of Object.entries(STATUS_ZH)) {
  publicationMessages['zh-CN'][`pub.status.${k}`] = v;
  publicationMessages.en[`pub.status.${k}`] = STATUS_EN[k];
  publicationMessages['zh-CN'][`err.pub.bad_transition.${k}`] = `当前状态为“${v}”，不能执行“{action}”。`;
  publicationMessages.en[`err.pub.bad_transition.${k}`] = `Cannot "{action}" an item whose status is "${STATUS_EN[k]}".`;
}

// The Art. 20 categories' labels (the taxonomy is the platform's, platform/taxonomy).
for (const k of CATEGORIES) {
  publicationMessages['zh-CN'][`cat.${k}`] = CATEGORY_NAMES[k];
  publicationMessages.en[`cat.${k}`] = CATEGORY_NAMES_EN[k];
}

// Refusals added by the attack review: a prepared draw's task, reused commitments.
export const zh: Record<string, string> = {
  'enforcement.plan.err.draw_prepared': '该任务的抽取输入已经公布，不能再修改',
  'enforcement.err.commitment_used': '该承诺值已在其他抽取中使用过（其密钥可能已经公开），请见证人另选新的密钥。',
};

export const en: Record<string, string> = {
  'enforcement.plan.err.draw_prepared': 'The inputs of this task’s draw are published: the task can no longer change',
  'enforcement.err.commitment_used': 'This commitment was given for another draw (its secret may already be public): the witness chooses a new secret.',
};

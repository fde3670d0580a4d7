import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import i18n from '../../i18n';
import type { Post, PostStatus, Unit } from '../../api/types';
import type { Can } from '../../app/permissions';
import { PlatformLabel, PostStatusBadge } from '../../components/Badges';
import { errorMessage } from '../../lib/errorMessage';
import { formatDateTime, utcIsoToZonedLocal, zoneLabel, zonedLocalToUtcIso } from '../../lib/time';
import { useWorkflowStep, type WorkflowStep } from './queries';

type Policy = Pick<Unit, 'approval_required' | 'four_eyes'>;

export interface Actions {
  submit: boolean;
  approve: boolean;
  reject: boolean;
  schedule: boolean;
  publishNow: boolean;
  cancel: boolean;
  retry: boolean;
  /** Approving is refused because the reader wrote the post (four-eyes). */
  ownPostUnderFourEyes: boolean;
}

/** Which steps this reader may take now, by the variants' states, their role and the unit's
 * policy (the server decides; this only hides buttons that would be refused). */
export function availableActions(post: Post, policy: Policy, can: Can, meId: number | null): Actions {
  const has = (...states: PostStatus[]) => post.variants.some((v) => states.includes(v.status));
  const isAuthor = meId !== null && post.author?.id === meId;
  const manages = can('approve');
  const moves = can('manage_posts') || (can('write_posts') && isAuthor);
  const schedulable: PostStatus[] = policy.approval_required ? ['approved'] : ['approved', 'draft', 'in_review'];
  const ownPostUnderFourEyes = manages && policy.four_eyes && isAuthor && has('in_review');
  return {
    submit: moves && policy.approval_required && has('draft'),
    approve: manages && has('in_review') && !ownPostUnderFourEyes,
    reject: manages && has('in_review'),
    schedule: moves && has(...schedulable),
    publishNow: moves && has(...schedulable, 'scheduled'),
    cancel: moves && has('scheduled'),
    retry: moves && has('failed'),
    ownPostUnderFourEyes,
  };
}

function stepError(t: TFunction, error: unknown): string {
  // The server names what blocks a step (e.g. which account is not active): without a
  // translation for its code, its own words say more than "try again".
  if (isApiError(error) && [409, 422].includes(error.status) && !i18n.exists(`errors.codes.${error.code}`)) {
    return error.message;
  }
  return errorMessage(t, error);
}

interface Props {
  post: Post;
  unit: Unit | null;
  /** What the reader may do in the post's unit (from the session's permissions). */
  can: Can;
  meId: number | null;
}

export function WorkflowPanel({ post, unit, can: allowed, meId }: Props) {
  const { t, i18n } = useTranslation();
  const step = useWorkflowStep(post.id);
  const [open, setOpen] = useState<'reject' | 'schedule' | null>(null);
  const [comment, setComment] = useState('');
  const timeZone = unit?.timezone ?? 'Asia/Jakarta';
  const [when, setWhen] = useState(() => utcIsoToZonedLocal(post.planned_at, timeZone));
  const [error, setError] = useState<string | null>(null);
  const policy: Policy = unit ?? { approval_required: true, four_eyes: true };
  const can = availableActions(post, policy, allowed, meId);

  const go = (s: WorkflowStep, done: string) => {
    setError(null);
    step.mutate(s, {
      onSuccess: () => {
        setOpen(null);
        setComment('');
        notifications.show({ color: 'green', message: t(`workflow.done.${done}`) });
      },
      onError: (e) => setError(stepError(t, e)),
    });
  };
  const busy = step.isPending;
  const showComment = post.review_comment && post.variants.some((v) => v.status === 'draft');

  return (
    <Paper withBorder p="md" radius="md" data-testid="workflow">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('workflow.title')}
          </Title>
          <PostStatusBadge status={post.status} />
        </Group>
        <Stack gap={4} data-testid="workflow-variants">
          {post.variants.map((v) => (
            <Group key={v.id} gap="sm" wrap="wrap" data-testid={`workflow-variant-${v.id}`}>
              <PlatformLabel platform={v.platform} />
              <PostStatusBadge status={v.status} />
              {v.status === 'scheduled' && v.scheduled_at && (
                <Text size="sm" c="dimmed">
                  {t('workflow.scheduledFor', { when: formatDateTime(v.scheduled_at, timeZone, i18n.language) })}
                </Text>
              )}
              {v.external_url && (
                <Anchor href={v.external_url} target="_blank" rel="noreferrer" size="sm">
                  {t('workflow.openLink')}
                </Anchor>
              )}
              {v.held && (
                <Badge color="orange" variant="light" data-testid={`workflow-held-${v.id}`}>
                  {t(`workflow.held.${v.held}`)}
                </Badge>
              )}
              {(v.status === 'failed' || v.status === 'unconfirmed') && v.last_error && (
                <Text size="sm" c={v.status === 'failed' ? 'red' : 'orange'} data-testid={`workflow-error-${v.id}`}>
                  {i18n.language.startsWith('id') ? (v.last_error_id ?? v.last_error) : v.last_error}
                </Text>
              )}
              {v.status === 'failed' && can.retry && (
                <Button
                  size="compact-sm"
                  variant="light"
                  loading={busy}
                  onClick={() => go({ action: 'retry', variantId: v.id }, 'retry')}
                  data-testid={`workflow-retry-${v.id}`}
                >
                  {t('workflow.retry')}
                </Button>
              )}
            </Group>
          ))}
        </Stack>
        {showComment && (
          <Alert color="yellow" variant="light" title={t('workflow.reviewComment')} data-testid="review-comment">
            {post.review_comment}
          </Alert>
        )}
        {policy.approval_required && post.variants.some((v) => v.status === 'approved' || v.status === 'scheduled') && (
          <Text size="sm" c="dimmed" data-testid="edit-sends-back">
            {t('workflow.editSendsBack')}
          </Text>
        )}
        {!policy.approval_required && (
          <Text size="sm" c="dimmed">
            {t('workflow.noApproval')}
          </Text>
        )}
        {can.ownPostUnderFourEyes && (
          <Text size="sm" c="dimmed" data-testid="four-eyes-hint">
            {t('workflow.fourEyes')}
          </Text>
        )}
        <Group gap="xs">
          {can.submit && (
            <Button loading={busy} onClick={() => go({ action: 'submit' }, 'submit')} data-testid="workflow-submit">
              {t('workflow.submit')}
            </Button>
          )}
          {can.approve && (
            <Button color="teal" loading={busy} onClick={() => go({ action: 'approve' }, 'approve')} data-testid="workflow-approve">
              {t('workflow.approve')}
            </Button>
          )}
          {can.reject && (
            <Button variant="light" color="orange" onClick={() => setOpen(open === 'reject' ? null : 'reject')} data-testid="workflow-reject">
              {t('workflow.reject')}
            </Button>
          )}
          {can.schedule && (
            <Button variant="light" onClick={() => setOpen(open === 'schedule' ? null : 'schedule')} data-testid="workflow-schedule">
              {t('workflow.schedule')}
            </Button>
          )}
          {can.publishNow && (
            <Button variant="light" loading={busy} onClick={() => go({ action: 'publishNow' }, 'publishNow')} data-testid="workflow-publish-now">
              {t('workflow.publishNow')}
            </Button>
          )}
          {can.cancel && (
            <Button variant="subtle" color="red" loading={busy} onClick={() => go({ action: 'cancel' }, 'cancel')} data-testid="workflow-cancel">
              {t('workflow.cancel')}
            </Button>
          )}
        </Group>
        {open === 'reject' && (
          <Stack gap="xs">
            <Textarea
              label={t('workflow.rejectComment')}
              placeholder={t('workflow.rejectPlaceholder')}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              autosize
              minRows={2}
              data-testid="workflow-reject-comment"
            />
            <Group gap="xs">
              <Button
                color="orange"
                disabled={!comment.trim()}
                loading={busy}
                onClick={() => go({ action: 'reject', comment: comment.trim() }, 'reject')}
                data-testid="workflow-reject-confirm"
              >
                {t('workflow.rejectConfirm')}
              </Button>
              <Button variant="default" onClick={() => setOpen(null)}>
                {t('workflow.close')}
              </Button>
            </Group>
          </Stack>
        )}
        {open === 'schedule' && (
          <Stack gap="xs">
            <TextInput
              type="datetime-local"
              label={t('workflow.scheduleAt', { zone: zoneLabel(timeZone) })}
              description={t('workflow.scheduleHint')}
              value={when}
              onChange={(e) => setWhen(e.currentTarget.value)}
              data-testid="workflow-schedule-at"
            />
            <Group gap="xs">
              <Button
                loading={busy}
                onClick={() => go({ action: 'schedule', at: when ? zonedLocalToUtcIso(when, timeZone) : null }, 'schedule')}
                data-testid="workflow-schedule-confirm"
              >
                {t('workflow.scheduleConfirm')}
              </Button>
              <Button variant="default" onClick={() => setOpen(null)}>
                {t('workflow.close')}
              </Button>
            </Group>
          </Stack>
        )}
        {error && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="workflow-error">
            {error}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

import { Alert, Anchor, Badge, Button, Checkbox, Group, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import type { Post, Unit } from '../../api/types';
import { PlatformLabel, PostStatusBadge } from '../../components/Badges';
import i18n from '../../i18n';
import { errorMessage } from '../../lib/errorMessage';
import { formatDateTime } from '../../lib/time';
import type { Actions } from './actions';
import { type WorkflowStep, useWorkflowStep } from './queries';
import { SchedulePicker } from './SchedulePicker';
import type { PublishingSettings } from './unit';
import { Followups } from './Followups';

function stepError(t: TFunction, error: unknown): string {
  // The server names what blocks a step (e.g. which account is not active): without a
  // translation for its code, its own words say more than "try again".
  if (isApiError(error) && [409, 422].includes(error.status)) {
    if (error.fields.checklist) return t('composer.approve.incomplete');
    if (!i18n.exists(`errors.codes.${error.code}`)) return error.message;
  }
  return errorMessage(t, error);
}

interface Props {
  post: Post & { checklist_ticked?: string[] };
  unit: Unit | null;
  settings: PublishingSettings;
  can: Actions;
  /** Unsaved edits: steps act on the saved copy, so they wait for a save. */
  dirty: boolean;
}

export function WorkflowActions({ post, unit, settings, can, dirty }: Props) {
  const { t, i18n: i18 } = useTranslation();
  const step = useWorkflowStep(post.id);
  const [open, setOpen] = useState<'reject' | 'schedule' | 'approve' | null>(null);
  const [comment, setComment] = useState('');
  const [ticked, setTicked] = useState<string[]>(post.checklist_ticked ?? []);
  const [when, setWhen] = useState<string | null>(() => post.planned_at);
  const [error, setError] = useState<string | null>(null);
  const timeZone = settings.timeZone;
  const approvalRequired = unit?.approval_required ?? true;

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
  const any = can.submit || can.approve || can.reject || can.schedule || can.publishNow || can.cancel;
  const allTicked = settings.checklist.every((item) => ticked.includes(item));

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
                  {t('workflow.scheduledFor', { when: formatDateTime(v.scheduled_at, timeZone, i18.language) })}
                </Text>
              )}
              {v.external_url && (
                <Anchor href={v.external_url} target="_blank" rel="noreferrer" size="sm">
                  {t('workflow.openLink')}
                </Anchor>
              )}
              {v.held && (
                <Badge color="orange.9" variant="filled" data-testid={`workflow-held-${v.id}`}>
                  {t(`workflow.held.${v.held}`)}
                </Badge>
              )}
              {(v.status === 'failed' || v.status === 'unconfirmed') && v.last_error && (
                <Text size="sm" c={v.status === 'failed' ? 'red.8' : 'orange.9'} data-testid={`workflow-error-${v.id}`}>
                  {i18.language.startsWith('id') ? (v.last_error_id ?? v.last_error) : v.last_error}
                </Text>
              )}
              {v.status === 'failed' && can.retry && (
                <Button size="compact-md" mih={44} variant="light" loading={busy} onClick={() => go({ action: 'retry', variantId: v.id }, 'retry')} data-testid={`workflow-retry-${v.id}`}>
                  {t('workflow.retry')}
                </Button>
              )}
              <Followups variantId={v.id} items={v.followups ?? []} />
            </Group>
          ))}
        </Stack>
        {approvalRequired && post.variants.some((v) => v.status === 'approved' || v.status === 'scheduled') && (
          <Text size="sm" c="dimmed" data-testid="edit-sends-back">
            {t('workflow.editSendsBack')}
          </Text>
        )}
        {!approvalRequired && (
          <Text size="sm" c="dimmed">
            {t('workflow.noApproval')}
          </Text>
        )}
        {can.ownPostUnderFourEyes && (
          <Text size="sm" c="dimmed" data-testid="four-eyes-hint">
            {t('workflow.fourEyes')}
          </Text>
        )}
        {dirty && any && (
          <Text size="sm" c="orange.9" data-testid="workflow-unsaved">
            {t('composer.unsavedSteps')}
          </Text>
        )}
        <Group gap="xs">
          {can.submit && (
            <Button mih={44} loading={busy} disabled={dirty} onClick={() => go({ action: 'submit' }, 'submit')} data-testid="workflow-submit">
              {t('workflow.submit')}
            </Button>
          )}
          {can.approve && (
            <Button mih={44} color="teal.9" disabled={dirty} onClick={() => setOpen('approve')} data-testid="workflow-approve">
              {t('workflow.approve')}
            </Button>
          )}
          {can.reject && (
            <Button mih={44} variant="light" color="orange.9" disabled={dirty} onClick={() => setOpen('reject')} data-testid="workflow-reject">
              {t('workflow.reject')}
            </Button>
          )}
          {can.schedule && (
            <Button mih={44} variant="light" disabled={dirty} onClick={() => setOpen('schedule')} data-testid="workflow-schedule">
              {t('workflow.schedule')}
            </Button>
          )}
          {can.publishNow && (
            <Button mih={44} variant="light" loading={busy} disabled={dirty} onClick={() => go({ action: 'publishNow' }, 'publishNow')} data-testid="workflow-publish-now">
              {t('workflow.publishNow')}
            </Button>
          )}
          {can.cancel && (
            <Button mih={44} variant="subtle" color="red" loading={busy} onClick={() => go({ action: 'cancel' }, 'cancel')} data-testid="workflow-cancel">
              {t('workflow.cancel')}
            </Button>
          )}
        </Group>
        {error && !open && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="workflow-error">
            {error}
          </Alert>
        )}
      </Stack>

      <Modal opened={open === 'approve'} onClose={() => setOpen(null)} title={t('composer.approve.title')} centered>
        <Stack gap="sm" data-testid="approve-dialog">
          {settings.checklist.length > 0 && (
            <Checkbox.Group label={t('composer.approve.checklist')} description={t('composer.approve.checklistHint')} value={ticked} onChange={setTicked}>
              <Stack gap={4} mt="xs">
                {settings.checklist.map((item) => (
                  <Checkbox key={item} value={item} label={item} styles={{ body: { minHeight: 44, alignItems: 'center' } }} data-testid="checklist-item" />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
          <Textarea label={t('composer.approve.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
          {error && (
            <Alert color="red" role="alert" data-testid="workflow-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button mih={44} variant="default" onClick={() => setOpen(null)}>
              {t('workflow.close')}
            </Button>
            <Button
              mih={44}
              color="teal.9"
              loading={busy}
              disabled={!allTicked}
              onClick={() => go({ action: 'approve', checklist: ticked, comment }, 'approve')}
              data-testid="workflow-approve-confirm"
            >
              {t('workflow.approve')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={open === 'reject'} onClose={() => setOpen(null)} title={t('workflow.reject')} centered>
        <Stack gap="sm">
          <Textarea
            label={t('workflow.rejectComment')}
            placeholder={t('workflow.rejectPlaceholder')}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={2000}
            data-testid="workflow-reject-comment"
          />
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button mih={44} variant="default" onClick={() => setOpen(null)}>
              {t('workflow.close')}
            </Button>
            <Button mih={44} color="orange.9" disabled={!comment.trim()} loading={busy} onClick={() => go({ action: 'reject', comment: comment.trim() }, 'reject')} data-testid="workflow-reject-confirm">
              {t('workflow.rejectConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={open === 'schedule'} onClose={() => setOpen(null)} title={t('workflow.schedule')} centered>
        <Stack gap="sm">
          <SchedulePicker
            label={t('composer.schedule.at')}
            value={when}
            onChange={setWhen}
            timeZone={timeZone}
            slots={settings.defaultSlots}
            unitId={post.unit_id}
            testId="workflow-schedule-at"
          />
          <Text size="xs" c="dimmed">
            {t('workflow.scheduleHint')}
          </Text>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button mih={44} variant="default" onClick={() => setOpen(null)}>
              {t('workflow.close')}
            </Button>
            <Button mih={44} loading={busy} onClick={() => go({ action: 'schedule', at: when }, 'schedule')} data-testid="workflow-schedule-confirm">
              {t('workflow.scheduleConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

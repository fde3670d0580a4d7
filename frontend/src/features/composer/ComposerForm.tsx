import {
  Alert,
  Autocomplete,
  Button,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCircleCheck, IconRestore } from '@tabler/icons-react';
import { useBlocker, useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import type { Account, Platform, Problem, Unit } from '../../api/types';
import { PlatformIcon } from '../../components/Badges';
import { errorMessage } from '../../lib/errorMessage';
import { problemText } from '../../lib/problems';
import { formatDateTime } from '../../lib/time';
import { network } from '../../platforms';
import { PoliticalWarnings } from '../holds/PoliticalWarnings';
import type { Actions } from './actions';
import { AccountPicker } from './AccountPicker';
import { CommentThread } from './CommentThread';
import { countText, mediaIssues } from './counters';
import { clearDraft, differs, loadDismissed, loadDraft, saveDismissed, saveDraft } from './draft';
import { MediaEditor } from './MediaEditor';
import {
  type ComposerValues,
  type Override,
  buildCreate,
  buildPatch,
  composeText,
  effective,
  normalizeHashtag,
  selectedPlatforms,
} from './model';
import { PlatformPanel } from './PlatformPanel';
import { Previews } from './Previews';
import { type Finding, type PostWithExtras, problemsOf, useCategories, useDeletePost, useSavePost, useValidation } from './queries';
import { SchedulePicker } from './SchedulePicker';
import type { PublishingSettings } from './unit';
import { firstErrorField, platformField, problemsByField, visibleProblems } from './validation';
import { WorkflowActions } from './WorkflowActions';
import { applyFinding } from './WritingFindings';

interface Props {
  postId: number | null;
  post: PostWithExtras | null;
  initial: ComposerValues;
  accounts: Account[];
  unit: Unit | null;
  settings: PublishingSettings;
  can: Actions;
}

export function ComposerForm({ postId, post, initial, accounts, unit, settings, can }: Props) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const form = useForm<ComposerValues>({ mode: 'controlled', initialValues: initial });
  const values = form.getValues();
  const [baseline, setBaseline] = useState(initial);
  const [restored, setRestored] = useState<number | null>(null);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [attempted, setAttempted] = useState(false);
  const [tab, setTab] = useState<string>('base');
  const [saveFailure, setSaveFailure] = useState<{ key: string; problems: Problem[]; message: string | null } | null>(null);
  const [dismissed, setDismissed] = useState<Set<string>>(() => new Set(loadDismissed(postId)));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const leaving = useRef(false);
  const save = useSavePost(postId);
  const remove = useDeletePost(postId);
  const categories = useCategories(values.unitId);
  const readOnly = !can.save;
  const dirty = differs(values, baseline);

  // A draft kept in this browser comes back once, with a notice.
  useEffect(() => {
    const draft = loadDraft(postId);
    if (draft && differs(draft.values, initial) && draft.values.unitId === initial.unitId) {
      form.setValues(draft.values);
      // Once, after the first render: the notice belongs to the draft just put back.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setRestored(draft.savedAt);
    }
    // Only on first render: later changes of `initial` come with a remount (key).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Unsaved edits go to localStorage shortly after typing stops; an unchanged form keeps nothing.
  const [debouncedValues] = useDebouncedValue(values, 500);
  useEffect(() => {
    if (leaving.current) return;
    if (differs(debouncedValues, baseline)) {
      saveDraft(postId, { values: debouncedValues, savedAt: Date.now(), base: post?.updated_at ?? null });
    } else clearDraft(postId);
  }, [debouncedValues, baseline, postId, post?.updated_at]);

  // The guard asks before navigation or a reload while the form differs from the saved copy.
  const baselineRef = useRef(baseline);
  useEffect(() => {
    baselineRef.current = baseline;
  }, [baseline]);
  const blocker = useBlocker({
    shouldBlockFn: () => !leaving.current && differs(form.getValues(), baselineRef.current),
    enableBeforeUnload: () => !leaving.current && differs(form.getValues(), baselineRef.current),
    withResolver: true,
  });

  const platforms = selectedPlatforms(values, accounts);
  const body = useMemo(() => buildCreate(values, accounts, settings.known), [values, accounts, settings.known]);
  const checkKey = body && body.variants.length > 0 ? JSON.stringify({ unit_id: body.unit_id, variants: body.variants }) : '';
  const [debouncedKey] = useDebouncedValue(checkKey, 400);
  const validation = useValidation(debouncedKey, debouncedKey !== '');
  const checking = validation.isFetching || checkKey !== debouncedKey;
  const bodyKey = body ? JSON.stringify(body) : '';

  // The latest word: a failed save while nothing changed since, else the live check.
  const failureCurrent = saveFailure && saveFailure.key === bodyKey ? saveFailure : null;
  const live = validation.data;
  const problems = failureCurrent?.problems.length ? failureCurrent.problems : (live?.problems ?? []);
  const sourceBody = failureCurrent?.problems.length ? body : (live?.body ?? null);
  const byField = problemsByField(problems, sourceBody, accounts);
  const isTouched = (field: string) => touched.has(field);
  const shown = visibleProblems(byField, isTouched, attempted);

  const touch = (...fields: string[]) =>
    setTouched((prev) => (fields.every((f) => prev.has(f)) ? prev : new Set([...prev, ...fields])));
  const allPlatformFields = (part: 'text' | 'media') => (['x', 'instagram', 'facebook'] as Platform[]).map((p) => platformField(p, part));

  const setOverride = <K extends keyof Override>(platform: Platform, key: K, value: Override[K]) => {
    form.setFieldValue(`overrides.${platform}.${String(key)}` as never, value as never);
    const options = key === 'firstComment' || key === 'link' || key === 'thread';
    touch(platformField(platform, key === 'media' ? 'media' : options ? 'options' : 'text'));
  };

  // Local checks that do not wait for the server.
  const titleMissing = !values.title.trim();
  const noAccounts = values.accountIds.length === 0;
  const localErrors: Record<string, string> = {};
  if ((attempted || isTouched('title')) && titleMissing) localErrors.title = t('form.titleRequired');
  if (attempted && noAccounts) localErrors.accountIds = t('form.noAccounts');

  const fieldError = (field: string) =>
    localErrors[field] ?? (shown.get(field)?.map((p) => problemText(i18n, p)).join(' ') || undefined);

  const focusField = (field: string) => {
    const platform = /^platform\.(\w+)\./.exec(field)?.[1];
    if (platform) setTab(platform);
    // After the tab shows the field.
    window.setTimeout(() => {
      const box = document.querySelector<HTMLElement>(`[data-field="${field}"]`);
      if (!box) return;
      box.scrollIntoView({ block: 'center', behavior: 'smooth' });
      const input = box.matches('input,textarea,button') ? box : box.querySelector<HTMLElement>('input:not([type=hidden]),textarea,button');
      input?.focus({ preventScroll: true });
    }, 50);
  };

  const onSave = () => {
    setAttempted(true);
    const local = [titleMissing ? 'title' : null, noAccounts ? 'accountIds' : null].filter((x): x is string => x !== null);
    if (local.length || !body) {
      focusField(firstErrorField(local) ?? 'title');
      return;
    }
    const key = bodyKey;
    save.mutate(
      { create: body, patch: buildPatch(values, accounts, settings.known) },
      {
        onSuccess: (saved) => {
          setSaveFailure(null);
          clearDraft(postId);
          setBaseline(values);
          baselineRef.current = values;
          notifications.show({
            color: 'green',
            icon: <IconCircleCheck size={18} />,
            message: postId ? t('form.updated', { title: saved.title }) : t('form.created', { title: saved.title }),
          });
          if (postId === null) {
            leaving.current = true;
            clearDraft(null);
            void navigate({ to: '/posts/$postId', params: { postId: String(saved.id) }, replace: true });
          }
        },
        onError: (error) => {
          if (isApiError(error) && error.status === 422) {
            const list = problemsOf(error);
            setSaveFailure({ key, problems: list, message: t('form.saveFailed') });
            const fields = problemsByField(list, body, accounts);
            focusField(firstErrorField(fields.keys()) ?? 'title');
          } else {
            setSaveFailure({ key, problems: [], message: `${errorMessage(t, error)} ${t('composer.keptLocally')}` });
          }
        },
      },
    );
  };

  const onDelete = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        leaving.current = true;
        clearDraft(postId);
        notifications.show({ color: 'green', message: t('form.deleted') });
        void navigate({ to: '/posts' });
      },
    });

  const onApply = (platform: Platform, f: Finding, ownText: boolean) => {
    const current = effective(values, platform).text;
    const next = applyFinding(current, f);
    if (next === null) {
      notifications.show({ color: 'orange', message: t('composer.writing.moved') });
      return;
    }
    if (ownText) setOverride(platform, 'text', next);
    else {
      form.setFieldValue('baseText', next);
      touch(...allPlatformFields('text'));
    }
  };

  const onDismiss = (id: string) => {
    const next = new Set(dismissed).add(id);
    setDismissed(next);
    saveDismissed(postId, Array.from(next));
  };

  const discardDraft = () => {
    clearDraft(postId);
    form.setValues(baseline);
    setRestored(null);
  };

  const generalProblems = shown.get('general') ?? [];
  const anyShown = shown.size > 0 || Object.keys(localErrors).length > 0;
  const saveMessage = failureCurrent?.message ?? null;
  const status = platforms.length === 0 || !debouncedKey
    ? ''
    : checking
      ? t('form.checking')
      : problems.length === 0 && !saveMessage
        ? t('form.valid')
        : problems.length > 0 && (attempted || anyShown)
          ? t('form.problemsTitle')
          : '';

  const accountsOf = (p: Platform) => accounts.filter((a) => a.platform === p && values.accountIds.includes(a.id));
  const headerCount = (p: Platform) => countText(p, composeText(effective(values, p)));

  return (
    <form
      noValidate
      data-testid="post-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <Stack gap="md" maw={1100}>
        <Group justify="space-between">
          <Title order={2}>{postId ? t('form.editTitle') : t('form.newTitle')}</Title>
          {dirty && (
            <Text size="sm" fw={600} c="orange.9" data-testid="unsaved-badge">
              {t('composer.unsaved')}
            </Text>
          )}
        </Group>

        {restored !== null && (
          <Alert color="blue" variant="light" icon={<IconRestore size={18} />} data-testid="draft-restored">
            <Group justify="space-between" gap="xs">
              <Text size="sm">{t('composer.restored', { when: formatDateTime(new Date(restored).toISOString(), settings.timeZone, i18n.language) })}</Text>
              <Group gap="xs">
                <Button size="compact-md" mih={44} variant="subtle" onClick={() => setRestored(null)}>
                  {t('composer.keep')}
                </Button>
                <Button size="compact-md" mih={44} variant="subtle" color="red" onClick={discardDraft} data-testid="draft-discard">
                  {t('composer.discard')}
                </Button>
              </Group>
            </Group>
          </Alert>
        )}

        {post && <WorkflowActions post={post} unit={unit} settings={settings} can={can} dirty={dirty} />}

        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <div data-field="title">
              <TextInput
                label={t('form.title')}
                placeholder={t('form.titlePlaceholder')}
                required
                readOnly={readOnly}
                maxLength={200}
                {...form.getInputProps('title')}
                onBlur={() => touch('title')}
                error={fieldError('title')}
                data-testid="form-title"
              />
            </div>
            <AccountPicker
              accounts={accounts}
              value={values.accountIds}
              onChange={(ids) => {
                form.setFieldValue('accountIds', ids);
                touch('accountIds');
              }}
              error={fieldError('accountIds')}
              readOnly={readOnly}
            />
          </Stack>
        </Paper>

        <Paper withBorder p="md" radius="md">
          <Tabs value={tab} onChange={(v) => setTab(v ?? 'base')} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="base" mih={44} data-testid="tab-base">
                {t('composer.base')}
              </Tabs.Tab>
              {platforms.map((p) => {
                const c = headerCount(p);
                const bad = (shown.get(platformField(p, 'text'))?.length ?? 0) > 0 || (isTouched(platformField(p, 'text')) && c.over > 0);
                return (
                  <Tabs.Tab
                    key={p}
                    value={p}
                    mih={44}
                    leftSection={<PlatformIcon platform={p} size={16} />}
                    rightSection={bad ? <IconAlertCircle size={14} color="var(--mantine-color-red-8)" aria-label={t('composer.hasProblems')} /> : null}
                    data-testid={`tab-${p}`}
                  >
                    {network(p).name}
                  </Tabs.Tab>
                );
              })}
              {platforms.length > 0 && (
                <Tabs.Tab value="preview" mih={44} data-testid="tab-preview">
                  {t('composer.preview.all')}
                </Tabs.Tab>
              )}
            </Tabs.List>

            <Tabs.Panel value="base" pt="sm">
              <Stack gap="sm">
                <div data-field="baseText">
                  <Textarea
                    label={t('composer.baseText')}
                    description={t('composer.baseHint')}
                    placeholder={t('composer.basePlaceholder')}
                    autosize
                    minRows={5}
                    maxRows={18}
                    readOnly={readOnly}
                    value={values.baseText}
                    onChange={(e) => {
                      form.setFieldValue('baseText', e.currentTarget.value);
                      touch(...allPlatformFields('text'));
                    }}
                    data-testid="text-base"
                  />
                </div>
                {platforms.length > 0 && (
                  <Group gap="md" data-testid="base-counters">
                    {platforms.map((p) => {
                      const c = headerCount(p);
                      const over = isTouched(platformField(p, 'text')) && c.over > 0;
                      return (
                        <Text key={p} size="sm" c={over ? 'red.8' : 'dimmed'} fw={over ? 700 : 400} data-testid={`base-counter-${p}`}>
                          {t('form.counter', { platform: network(p).name, length: c.length, max: c.max })}
                        </Text>
                      );
                    })}
                  </Group>
                )}
                <TagsInput
                  label={t('composer.hashtags')}
                  description={t('composer.hashtagsHint')}
                  value={values.baseHashtags}
                  readOnly={readOnly}
                  splitChars={[',', ' ']}
                  onChange={(tags) => {
                    form.setFieldValue('baseHashtags', tags.map(normalizeHashtag).filter((x): x is string => x !== null));
                    touch(...allPlatformFields('text'));
                  }}
                  data-testid="hashtags-base"
                />
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    {t('composer.media.title')}
                  </Text>
                  <MediaEditor
                    unitId={values.unitId}
                    platform={null}
                    media={values.baseMedia}
                    onChange={(media) => {
                      form.setFieldValue('baseMedia', media);
                      touch(...allPlatformFields('media'));
                    }}
                    requireAlt={settings.requireAltText}
                    problems={[]}
                    testId="media-base"
                    showIssues={attempted}
                    disabled={readOnly}
                  />
                  {platforms.includes('instagram') &&
                    mediaIssues('instagram', effective(values, 'instagram').media, false).some((i) => i.rule === 'ratio') && (
                      <Text size="sm" c="orange.9">
                        {t('composer.media.ratioSee')}
                      </Text>
                    )}
                </Stack>
                {platforms.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('composer.chooseAccounts')}
                  </Text>
                )}
              </Stack>
            </Tabs.Panel>

            {platforms.map((p) => (
              <Tabs.Panel key={p} value={p} pt="sm">
                <PlatformPanel
                  platform={p}
                  values={values}
                  accounts={accountsOf(p)}
                  setOverride={setOverride}
                  textProblems={shown.get(platformField(p, 'text')) ?? []}
                  mediaProblems={shown.get(platformField(p, 'media')) ?? []}
                  optionProblems={shown.get(platformField(p, 'options')) ?? []}
                  textDirty={attempted || isTouched(platformField(p, 'text'))}
                  mediaDirty={attempted || isTouched(platformField(p, 'media'))}
                  requireAlt={settings.requireAltText}
                  dismissed={dismissed}
                  onApply={onApply}
                  onDismiss={onDismiss}
                  readOnly={readOnly}
                />
              </Tabs.Panel>
            ))}

            <Tabs.Panel value="preview" pt="sm">
              <Previews
                items={platforms.map((p) => {
                  const e = effective(values, p);
                  const a = accountsOf(p)[0];
                  return {
                    platform: p,
                    handle: a?.handle ?? '',
                    name: a?.display_name || a?.handle?.replace(/^@/, '') || network(p).name,
                    text: composeText(e),
                    media: e.media,
                    firstComment: e.firstComment,
                    link: e.link,
                    thread: e.thread,
                  };
                })}
              />
            </Tabs.Panel>
          </Tabs>
        </Paper>

        <Paper withBorder p="md" radius="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <div data-field="category">
              <Autocomplete
                label={t('form.category')}
                placeholder={t('form.categoryPlaceholder')}
                data={categories.data?.items ?? []}
                readOnly={readOnly}
                maxLength={80}
                {...form.getInputProps('category')}
                error={fieldError('category')}
                data-testid="form-category"
              />
            </div>
            <div data-field="campaign">
              <TextInput label={t('form.campaign')} readOnly={readOnly} maxLength={120} {...form.getInputProps('campaign')} error={fieldError('campaign')} data-testid="form-campaign" />
            </div>
            <div data-field="plannedAt">
              <SchedulePicker
                label={t('composer.schedule.planned')}
                value={values.plannedAt}
                onChange={(v) => {
                  form.setFieldValue('plannedAt', v);
                  touch('plannedAt');
                }}
                timeZone={settings.timeZone}
                slots={settings.defaultSlots}
                unitId={unit?.id ?? null}
                error={fieldError('plannedAt')}
                testId="form-planned"
                disabled={readOnly}
              />
            </div>
            <div data-field="dataSource">
              <TextInput
                label={t('composer.dataSource')}
                description={t('composer.dataSourceHint')}
                readOnly={readOnly}
                maxLength={500}
                {...form.getInputProps('dataSource')}
                error={fieldError('dataSource')}
                data-testid="form-data-source"
              />
            </div>
          </SimpleGrid>
          <div data-field="notes">
            <Textarea
              mt="sm"
              label={t('composer.notes')}
              description={t('composer.notesHint')}
              autosize
              minRows={2}
              readOnly={readOnly}
              maxLength={10000}
              {...form.getInputProps('notes')}
              error={fieldError('notes')}
              data-testid="form-notes"
            />
          </div>
        </Paper>

        {generalProblems.length > 0 && (
          <Alert color="red" variant="light" title={t('form.generalProblem')} data-field="general">
            {generalProblems.map((p, i) => (
              <Text key={i} size="sm">
                {problemText(i18n, p)}
              </Text>
            ))}
          </Alert>
        )}

        <PoliticalWarnings warnings={live?.warnings ?? []} accounts={accounts} />

        {status && (
          <Text size="sm" c={status === t('form.valid') ? 'teal.9' : status === t('form.checking') ? 'dimmed' : 'red.8'} data-testid="validation-status" aria-live="polite">
            {status}
          </Text>
        )}

        {saveMessage && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="save-error">
            {saveMessage}
          </Alert>
        )}

        {readOnly && (
          <Alert color="gray" variant="light" data-testid="read-only">
            {t('composer.readOnly')}
          </Alert>
        )}

        <Group justify="space-between">
          <Group>
            {!readOnly && (
              <Button type="submit" mih={44} loading={save.isPending} data-testid="form-save">
                {t('composer.saveDraft')}
              </Button>
            )}
            <Button mih={44} variant="default" onClick={() => void navigate({ to: '/posts' })} data-testid="form-cancel">
              {t('composer.backToList')}
            </Button>
          </Group>
          {postId !== null && can.delete && (
            <Button mih={44} color="red" variant="subtle" onClick={() => setConfirmDelete(true)} data-testid="form-delete">
              {t('form.delete')}
            </Button>
          )}
        </Group>

        {post && <CommentThread postId={post.id} timeZone={settings.timeZone} />}
      </Stack>

      <Modal opened={blocker.status === 'blocked'} onClose={() => blocker.reset?.()} title={t('composer.leave.title')} centered>
        <Stack gap="sm" data-testid="leave-guard">
          <Text size="sm">{t('composer.leave.body')}</Text>
          <Group justify="flex-end">
            <Button mih={44} variant="default" onClick={() => blocker.reset?.()} data-testid="leave-stay">
              {t('composer.leave.stay')}
            </Button>
            <Button mih={44} color="red.8" onClick={() => blocker.proceed?.()} data-testid="leave-go">
              {t('composer.leave.go')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t('form.deleteConfirm')} centered>
        <Group justify="flex-end">
          <Button mih={44} variant="default" onClick={() => setConfirmDelete(false)}>
            {t('workflow.close')}
          </Button>
          <Button mih={44} color="red.8" loading={remove.isPending} onClick={onDelete} data-testid="form-delete-confirm">
            {t('form.delete')}
          </Button>
        </Group>
        {remove.error && (
          <Text size="sm" c="red.8" role="alert" mt="xs">
            {errorMessage(t, remove.error)}
          </Text>
        )}
      </Modal>
    </form>
  );
}

import { useEffect, useMemo, useState, type FormEvent } from 'react';
import {
  Alert,
  Autocomplete,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { Account, Post, PostInput, Problem, ValidationResult } from '../../api/types';
import { permissionsOf, useCan } from '../../app/permissions';
import { useMe, useUnits } from '../../app/useSession';
import { PlatformIcon, SandboxBadge } from '../../components/Badges';
import { QueryState } from '../../components/QueryState';
import { sortAccounts } from '../../lib/accounts';
import { useAccounts } from '../accounts/queries';
import { errorMessage } from '../../lib/errorMessage';
import { problemsByVariant, problemsFromFields } from '../../lib/problems';
import { estimateLength, network } from '../../platforms';
import { utcIsoToZonedLocal, zoneLabel, zonedLocalToUtcIso } from '../../lib/time';
import { PoliticalWarnings } from '../holds/PoliticalWarnings';
import { ProblemList } from './ProblemList';
import { VariantEditor } from './VariantEditor';
import { WorkflowPanel } from './WorkflowPanel';
import { postKeys } from './queries';

interface FormState {
  unitId: number | null;
  title: string;
  category: string;
  campaign: string;
  notes: string;
  planned: string;
  selected: number[];
  texts: Record<number, string>;
  media: Record<number, number[]>;
}

function emptyState(unitId: number | null): FormState {
  return { unitId, title: '', category: '', campaign: '', notes: '', planned: '', selected: [], texts: {}, media: {} };
}

function stateFromPost(post: Post, timeZone: string): FormState {
  const texts: Record<number, string> = {};
  const media: Record<number, number[]> = {};
  for (const v of post.variants) {
    texts[v.account_id] = v.text;
    media[v.account_id] = v.media_ids ?? [];
  }
  return {
    unitId: post.unit_id,
    title: post.title,
    category: post.category ?? '',
    campaign: post.campaign ?? '',
    notes: post.notes ?? '',
    planned: utcIsoToZonedLocal(post.planned_at, timeZone),
    selected: post.variants.map((v) => v.account_id),
    texts,
    media,
  };
}

/** The request body for the form's current state, variants in the accounts' order. */
export function buildBody(state: FormState, accounts: Account[], timeZone: string): PostInput | null {
  if (state.unitId === null) return null;
  const order = accounts.filter((a) => state.selected.includes(a.id));
  return {
    unit_id: state.unitId,
    title: state.title.trim(),
    category: state.category.trim() || null,
    campaign: state.campaign.trim() || null,
    notes: state.notes.trim() || null,
    planned_at: state.planned ? zonedLocalToUtcIso(state.planned, timeZone) : null,
    variants: order.map((a) => ({ account_id: a.id, text: state.texts[a.id] ?? '', media_ids: state.media[a.id] ?? [] })),
  };
}

interface ProblemSource {
  body: PostInput;
  problems: Problem[];
  lengths?: ValidationResult['variants'];
  warnings?: ValidationResult['warnings'];
}

export function PostFormPage({ postId }: { postId?: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { units, unit: currentUnit, role } = useUnits();
  const me = useMe();
  const mayWrite = useCan('write_posts');
  const readOnly = role !== null && !mayWrite;
  const editing = postId !== undefined;

  const existing = useQuery({
    queryKey: postKeys.detail(postId ?? 0),
    queryFn: () => api.post(postId!),
    enabled: editing,
  });

  const [state, setState] = useState<FormState>(() => emptyState(currentUnit?.id ?? null));
  const [initialized, setInitialized] = useState(!editing);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveResult, setSaveResult] = useState<ProblemSource | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [uploading, setUploading] = useState<Record<number, boolean>>({});
  const [uploadErrors, setUploadErrors] = useState<Record<number, string | null>>({});
  const [confirmDelete, setConfirmDelete] = useState(false);

  const unit = units.find((u) => u.id === state.unitId) ?? currentUnit ?? null;
  const timeZone = unit?.timezone ?? 'Asia/Jakarta';

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the composer replaces this form
    if (state.unitId === null && currentUnit) setState((s) => ({ ...s, unitId: currentUnit.id }));
  }, [currentUnit, state.unitId]);

  useEffect(() => {
    if (editing && existing.data && !initialized) {
      const postUnit = units.find((u) => u.id === existing.data.unit_id);
      for (const variant of existing.data.variants) {
        for (const media of variant.media ?? []) queryClient.setQueryData(postKeys.media(media.id), media);
      }
      // eslint-disable-next-line react-hooks/set-state-in-effect -- the composer replaces this form
      setState(stateFromPost(existing.data, postUnit?.timezone ?? timeZone));
      setInitialized(true);
    }
  }, [editing, existing.data, initialized, units, timeZone, queryClient]);

  const accounts = useAccounts(state.unitId);
  const categories = useQuery({
    queryKey: postKeys.categories(state.unitId),
    queryFn: () => api.categories(state.unitId!),
    enabled: state.unitId !== null,
  });
  const accountList = useMemo(() => sortAccounts(accounts.data?.items ?? []), [accounts.data]);

  const body = useMemo(() => buildBody(state, accountList, timeZone), [state, accountList, timeZone]);
  const bodyKey = body ? JSON.stringify(body) : '';
  const [debouncedKey] = useDebouncedValue(bodyKey, 400);

  const validation = useQuery({
    queryKey: postKeys.validate(debouncedKey),
    queryFn: async (): Promise<ProblemSource> => {
      const input = JSON.parse(debouncedKey) as PostInput;
      try {
        // The server checks the variants; the title is not needed yet.
        const result = await api.validatePost(input);
        return { body: input, problems: result.problems, lengths: result.variants, warnings: result.warnings };
      } catch (error) {
        if (isApiError(error) && error.status === 422) {
          const problems = error.problems.length ? error.problems : problemsFromFields(error.fields);
          return { body: input, problems };
        }
        throw error;
      }
    },
    enabled: debouncedKey !== '' && (body?.variants.length ?? 0) > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });

  // The latest word on problems: the last save attempt if nothing changed since, else live validation.
  const source: ProblemSource | null =
    saveResult && JSON.stringify(saveResult.body) === bodyKey ? saveResult : (validation.data ?? null);
  const checking = validation.isFetching || bodyKey !== debouncedKey;

  const byAccount = useMemo(() => {
    const map = new Map<number, Problem[]>();
    const general: Problem[] = [];
    if (!source) return { map, general };
    for (const [index, problems] of problemsByVariant(source.problems)) {
      const accountId = source.body.variants[index]?.account_id;
      if (index < 0 || accountId === undefined) general.push(...problems);
      else map.set(accountId, [...(map.get(accountId) ?? []), ...problems]);
    }
    return { map, general };
  }, [source]);

  const lengthFor = (account: Account): { length: number; max: number } => {
    const text = state.texts[account.id] ?? '';
    const fallback = { length: estimateLength(account.platform, text), max: network(account.platform).maxLength };
    const lengths = validation.data?.lengths;
    const validated = validation.data?.body.variants;
    if (!lengths || !validated) return fallback;
    const index = validated.findIndex((v) => v.account_id === account.id);
    const entry = lengths.find((l) => l.index === index);
    if (index < 0 || !entry || validated[index].text !== text) return fallback;
    return { length: entry.length, max: entry.max_length };
  };

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setState((s) => ({ ...s, [key]: value }));

  const toggleAccount = (account: Account, checked: boolean) =>
    setState((s) => ({
      ...s,
      selected: checked ? [...s.selected, account.id] : s.selected.filter((id) => id !== account.id),
    }));

  const upload = async (account: Account, file: File) => {
    if (state.unitId === null) return;
    setUploading((u) => ({ ...u, [account.id]: true }));
    setUploadErrors((e) => ({ ...e, [account.id]: null }));
    try {
      const media = await api.uploadMedia(state.unitId, file);
      queryClient.setQueryData(postKeys.media(media.id), media);
      setState((s) => ({ ...s, media: { ...s.media, [account.id]: [...(s.media[account.id] ?? []), media.id] } }));
    } catch (error) {
      const detail = isApiError(error)
        ? Object.values(error.fields)[0] ?? error.message
        : error instanceof Error
          ? error.message
          : String(error);
      setUploadErrors((e) => ({ ...e, [account.id]: detail }));
    } finally {
      setUploading((u) => ({ ...u, [account.id]: false }));
    }
  };

  const titleError = submitted && !state.title.trim() ? t('form.titleRequired') : undefined;
  const accountsError = submitted && state.selected.length === 0 ? t('form.noAccounts') : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setSaveError(null);
    if (!body || !body.title || body.variants.length === 0) return;
    setSaving(true);
    try {
      const saved = editing ? await api.updatePost(postId, body) : await api.createPost(body);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: postKeys.all }),
        queryClient.invalidateQueries({ queryKey: postKeys.categoriesAll }),
        queryClient.invalidateQueries({ queryKey: postKeys.detail(saved.id) }),
      ]);
      notifications.show({
        color: 'green',
        icon: <IconCircleCheck size={18} />,
        message: editing ? t('form.updated', { title: saved.title }) : t('form.created', { title: saved.title }),
      });
      await navigate({ to: '/posts' });
    } catch (error) {
      if (isApiError(error) && error.status === 422) {
        const problems = error.problems.length ? error.problems : problemsFromFields(error.fields);
        setSaveResult({ body, problems });
        setSaveError(t('form.saveFailed'));
      } else {
        setSaveError(errorMessage(t, error));
      }
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!editing) return;
    try {
      await api.deletePost(postId);
      await queryClient.invalidateQueries({ queryKey: postKeys.all });
      notifications.show({ color: 'green', message: t('form.deleted') });
      await navigate({ to: '/posts' });
    } catch (error) {
      setSaveError(errorMessage(t, error));
    }
  };

  if (editing && (existing.isLoading || existing.error || !initialized)) {
    return (
      <QueryState isLoading={existing.isLoading || !existing.error} error={existing.error} onRetry={() => void existing.refetch()}>
        {null}
      </QueryState>
    );
  }

  const zone = zoneLabel(timeZone);
  const selectedAccounts = accountList.filter((a) => state.selected.includes(a.id));
  const fieldProblem = (name: string) => byAccount.general.filter((p) => p.field === name);
  const generalProblems = byAccount.general.filter(
    (p) => !['title', 'category', 'campaign', 'notes', 'planned_at'].includes(p.field),
  );

  return (
    <form onSubmit={submit} noValidate data-testid="post-form">
      <Stack gap="md" maw={900}>
        <Title order={2}>{editing ? t('form.editTitle') : t('form.newTitle')}</Title>

        {editing && existing.data && (
          <WorkflowPanel
            post={existing.data}
            unit={unit}
            can={permissionsOf(me.data, existing.data.unit_id)}
            meId={me.data?.id ?? null}
          />
        )}

        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            {units.length > 1 && !editing && (
              <Select
                label={t('form.unit')}
                data={units.map((u) => ({ value: String(u.id), label: u.name }))}
                value={state.unitId ? String(state.unitId) : null}
                onChange={(v) => v && setState((s) => ({ ...s, unitId: Number(v), selected: [], media: {} }))}
                allowDeselect={false}
                data-testid="form-unit"
              />
            )}
            <TextInput
              label={t('form.title')}
              placeholder={t('form.titlePlaceholder')}
              value={state.title}
              onChange={(e) => set('title', e.currentTarget.value)}
              error={titleError ?? fieldProblem('title')[0]?.message}
              required
              data-testid="form-title"
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Autocomplete
                label={t('form.category')}
                placeholder={t('form.categoryPlaceholder')}
                data={categories.data?.items ?? []}
                value={state.category}
                onChange={(v) => set('category', v)}
                error={fieldProblem('category')[0]?.message}
                data-testid="form-category"
              />
              <TextInput
                type="datetime-local"
                label={t('form.planned', { zone })}
                description={t('form.plannedHint', { zone, tz: timeZone })}
                value={state.planned}
                onChange={(e) => set('planned', e.currentTarget.value)}
                error={fieldProblem('planned_at')[0]?.message}
                data-testid="form-planned"
              />
              <TextInput
                label={t('form.campaign')}
                value={state.campaign}
                onChange={(e) => set('campaign', e.currentTarget.value)}
                data-testid="form-campaign"
              />
            </SimpleGrid>
            <Textarea
              label={t('form.notes')}
              autosize
              minRows={2}
              value={state.notes}
              onChange={(e) => set('notes', e.currentTarget.value)}
              data-testid="form-notes"
            />
          </Stack>
        </Paper>

        <Paper withBorder p="md" radius="md">
          <Checkbox.Group
            label={t('form.accounts')}
            description={t('form.accountsHint')}
            error={accountsError}
            value={state.selected.map(String)}
            onChange={() => undefined}
          >
            <Stack gap="xs" mt="xs" data-testid="form-accounts">
              {accountList.map((account) => {
                const disabled = account.status === 'disabled' && !state.selected.includes(account.id);
                return (
                  <Checkbox
                    key={account.id}
                    value={String(account.id)}
                    disabled={disabled}
                    checked={state.selected.includes(account.id)}
                    onChange={(e) => toggleAccount(account, e.currentTarget.checked)}
                    data-testid={`account-${account.platform}-${account.id}`}
                    label={
                      <Group gap={6}>
                        <PlatformIcon platform={account.platform} size={16} />
                        <Text size="sm">
                          {t(network(account.platform).labelKey)} · {account.handle}
                          {account.status === 'disabled' ? ` (${t('form.disabledAccount')})` : ''}
                        </Text>
                        {account.sandbox && <SandboxBadge />}
                      </Group>
                    }
                  />
                );
              })}
            </Stack>
          </Checkbox.Group>
        </Paper>

        {selectedAccounts.map((account) => {
          const { length, max } = lengthFor(account);
          return (
            <VariantEditor
              key={account.id}
              account={account}
              text={state.texts[account.id] ?? ''}
              mediaIds={state.media[account.id] ?? []}
              length={length}
              max={max}
              problems={byAccount.map.get(account.id) ?? []}
              uploading={Boolean(uploading[account.id])}
              uploadError={uploadErrors[account.id] ?? null}
              onText={(text) => setState((s) => ({ ...s, texts: { ...s.texts, [account.id]: text } }))}
              onUpload={(file) => void upload(account, file)}
              onRemoveMedia={(id) =>
                setState((s) => ({
                  ...s,
                  media: { ...s.media, [account.id]: (s.media[account.id] ?? []).filter((m) => m !== id) },
                }))
              }
            />
          );
        })}

        {generalProblems.length > 0 && (
          <Alert color="red" variant="light" title={t('form.generalProblem')}>
            <ProblemList problems={generalProblems} testId="problems-general" />
          </Alert>
        )}

        <PoliticalWarnings warnings={validation.data?.warnings ?? []} accounts={accountList} />

        {selectedAccounts.length > 0 && (
          <Text size="sm" c={source?.problems.length ? 'red' : 'teal'} data-testid="validation-status">
            {checking
              ? t('form.checking')
              : source && source.problems.length === 0
                ? t('form.valid')
                : source
                  ? t('form.problemsTitle')
                  : ''}
          </Text>
        )}

        {readOnly && (
          <Alert color="gray" variant="light" data-testid="read-only">
            {t('errors.forbidden')}
          </Alert>
        )}

        {saveError && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="save-error">
            {saveError}
          </Alert>
        )}

        <Group justify="space-between">
          <Group>
            <Button type="submit" loading={saving} disabled={readOnly} data-testid="form-save">
              {t('form.save')}
            </Button>
            <Button variant="default" onClick={() => void navigate({ to: '/posts' })}>
              {t('form.cancel')}
            </Button>
          </Group>
          {editing && !readOnly && (
            <Button
              color="red"
              variant={confirmDelete ? 'filled' : 'subtle'}
              onClick={() => (confirmDelete ? void remove() : setConfirmDelete(true))}
              onBlur={() => setConfirmDelete(false)}
              data-testid="form-delete"
            >
              {confirmDelete ? t('form.deleteConfirm') : t('form.delete')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/* eslint-disable react-hooks/preserve-manual-memoization -- the starting values keep their identity
   between renders on purpose (the form resets when they change); the app does not use the React
   compiler, so nothing is lost by its skipping this component. */
import { Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import { permissionsOf } from '../../app/permissions';
import { useMe, useUnits } from '../../app/useSession';
import { QueryState } from '../../components/QueryState';
import { sortAccounts } from '../../lib/accounts';
import { useAccounts } from '../accounts/queries';
import { availableActions } from './actions';
import { ComposerForm } from './ComposerForm';
import { emptyValues, valuesFromPost } from './model';
import { usePost, useTemplates } from './queries';
import { fromTemplate } from './template';
import { publishingSettings } from './unit';

export interface ComposerSearch {
  template?: number;
  date?: string;
}

/** A post that does not exist (or not for this reader): say so and offer the way back. */
function MissingPost() {
  const { t } = useTranslation();
  return (
    <Center py="xl" data-testid="post-missing">
      <Stack align="center" gap="sm" maw={420}>
        <Title order={2} size="h3">
          {t('composer.missing.title')}
        </Title>
        <Text ta="center" c="dimmed">
          {t('composer.missing.body')}
        </Text>
        <Group>
          <Button component={Link} to="/posts" mih={44}>
            {t('composer.missing.list')}
          </Button>
          <Button component={Link} to={'/calendar' as '/posts'} variant="light" mih={44}>
            {t('composer.missing.calendar')}
          </Button>
          <Button component={Link} to="/posts/new" variant="subtle" mih={44}>
            {t('composer.missing.new')}
          </Button>
        </Group>
      </Stack>
    </Center>
  );
}

export function ComposerPage({ postId, search = {} }: { postId?: number; search?: ComposerSearch }) {
  const { t } = useTranslation();
  const id = postId ?? null;
  const me = useMe();
  const { units, unit: currentUnit, isLoading: unitsLoading } = useUnits();
  const post = usePost(id);
  const unitId = id !== null ? (post.data?.unit_id ?? null) : (currentUnit?.id ?? null);
  const unit = units.find((u) => u.id === unitId) ?? null;
  const settings = publishingSettings(unit);
  const accounts = useAccounts(unitId);
  const templates = useTemplates(unitId, id === null && search.template !== undefined);
  const accountList = useMemo(() => sortAccounts(accounts.data?.items ?? []), [accounts.data]);

  const firstSlot = settings.defaultSlots[0];
  const templateId = search.template;
  const startDate = search.date;
  const timeZone = settings.timeZone;
  const waitingTemplate = id === null && search.template !== undefined && templates.isLoading;
  const initial = useMemo(() => {
    if (id !== null) {
      if (!post.data) return null;
      return valuesFromPost(post.data);
    }
    if (unitId === null) return null;
    const template = templates.data?.items.find((tpl) => tpl.id === templateId);
    return fromTemplate(emptyValues(unitId), template, startDate, firstSlot, timeZone);
  }, [id, post.data, unitId, templates.data, templateId, startDate, firstSlot, timeZone]);

  if (id !== null && post.error && isApiError(post.error) && (post.error.status === 404 || post.error.status === 403)) {
    return <MissingPost />;
  }
  if (id !== null && post.error) {
    return (
      <QueryState isLoading={false} error={post.error} onRetry={() => void post.refetch()}>
        {null}
      </QueryState>
    );
  }
  // Wait for everything the form needs, so nothing flashes red while it loads.
  if (!initial || me.isLoading || unitsLoading || accounts.isLoading || waitingTemplate) {
    return (
      <Center py="xl">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  const can = availableActions(post.data ?? null, unit ?? { approval_required: true, four_eyes: true }, permissionsOf(me.data, unitId), me.data?.id ?? null);
  return (
    <ComposerForm
      key={`${id ?? 'new'}-${search.template ?? ''}-${search.date ?? ''}`}
      postId={id}
      post={post.data ?? null}
      initial={initial}
      accounts={accountList}
      unit={unit}
      settings={settings}
      can={can}
    />
  );
}

export default ComposerPage;

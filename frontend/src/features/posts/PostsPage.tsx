import { useEffect, useState } from 'react';
import {
  Button,
  Card,
  Collapse,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconAdjustments, IconPlus, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/Links';
import { api } from '../../api/endpoints';
import { POST_STATUSES, type Post, type PostFilters, type Unit } from '../../api/types';
import { NETWORKS, network } from '../../platforms';
import { useCan } from '../../app/permissions';
import { useUnits } from '../../app/useSession';
import { PostStatusBadge, VariantChip } from '../../components/Badges';
import { QueryState } from '../../components/QueryState';
import { sortAccounts } from '../../lib/accounts';
import { useAccounts } from '../accounts/queries';
import { dayEndUtc, dayStartUtc, formatDateTime } from '../../lib/time';
import type { PostsSearch } from './search';
import { postKeys, usePostsList } from './queries';

const PAGE_SIZE = 20;

export function filtersFor(unit: Unit, search: PostsSearch): PostFilters {
  return {
    unit_id: unit.id,
    date_from: search.from ? (dayStartUtc(search.from, unit.timezone) ?? undefined) : undefined,
    date_to: search.to ? (dayEndUtc(search.to, unit.timezone) ?? undefined) : undefined,
    status: search.status,
    platform: search.platform,
    account_id: search.account,
    category: search.category,
    q: search.q,
    limit: PAGE_SIZE,
  };
}

interface Props {
  search: PostsSearch;
}

export function PostsPage({ search }: Props) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { unit } = useUnits();
  const mayWrite = useCan('write_posts');
  const isPhone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [q, setQ] = useState(search.q ?? '');
  const [debouncedQ] = useDebouncedValue(q, 350);

  const update = (patch: Partial<PostsSearch>) =>
    void navigate({
      to: '/posts',
      search: (prev: PostsSearch) => ({ ...prev, ...patch }),
      replace: true,
    });

  useEffect(() => {
    if ((debouncedQ || undefined) !== search.q) update({ q: debouncedQ || undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedQ]);

  const accounts = useAccounts(unit?.id);
  const categories = useQuery({
    queryKey: postKeys.categories(unit?.id),
    queryFn: () => api.categories(unit!.id),
    enabled: Boolean(unit),
  });
  const filters = unit ? filtersFor(unit, search) : null;
  // Cursor paging: each "load more" asks for the page after the last one shown.
  const posts = usePostsList(filters);

  if (!unit) return null;
  const tz = unit.timezone;
  const lang = i18n.language;
  const anyFilter = Boolean(
    search.from || search.to || search.status || search.platform || search.account || search.category || search.q,
  );

  const filterControls = (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" data-testid="post-filters">
      <TextInput
        type="date"
        label={t('filters.from')}
        value={search.from ?? ''}
        onChange={(e) => update({ from: e.currentTarget.value || undefined })}
        data-testid="filter-from"
      />
      <TextInput
        type="date"
        label={t('filters.to')}
        value={search.to ?? ''}
        onChange={(e) => update({ to: e.currentTarget.value || undefined })}
        data-testid="filter-to"
      />
      <Select
        label={t('filters.status')}
        placeholder={t('filters.all')}
        clearable
        data={POST_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        value={search.status ?? null}
        onChange={(v) => update({ status: (v as PostsSearch['status']) ?? undefined })}
        data-testid="filter-status"
      />
      <Select
        label={t('filters.platform')}
        placeholder={t('filters.all')}
        clearable
        data={NETWORKS.map((n) => ({ value: n.platform, label: t(n.labelKey) }))}
        value={search.platform ?? null}
        onChange={(v) => update({ platform: (v as PostsSearch['platform']) ?? undefined })}
        data-testid="filter-platform"
      />
      <Select
        label={t('filters.account')}
        placeholder={t('filters.all')}
        clearable
        data={sortAccounts(accounts.data?.items ?? []).map((a) => ({
          value: String(a.id),
          label: `${t(network(a.platform).labelKey)} · ${a.handle}`,
        }))}
        value={search.account ? String(search.account) : null}
        onChange={(v) => update({ account: v ? Number(v) : undefined })}
        data-testid="filter-account"
      />
      <Select
        label={t('filters.category')}
        placeholder={t('filters.all')}
        clearable
        searchable
        data={categories.data?.items ?? []}
        value={search.category ?? null}
        onChange={(v) => update({ category: v ?? undefined })}
        data-testid="filter-category"
      />
      <TextInput
        label={t('filters.search')}
        placeholder={t('filters.searchPlaceholder')}
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        data-testid="filter-q"
      />
      <Group align="flex-end">
        <Button
          variant="subtle"
          disabled={!anyFilter}
          onClick={() => {
            setQ('');
            void navigate({ to: '/posts', search: {}, replace: true });
          }}
        >
          {t('filters.reset')}
        </Button>
      </Group>
    </SimpleGrid>
  );

  const items = posts.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="nowrap">
        <Title order={2}>{t('posts.title')}</Title>
        {mayWrite && (
          <Button component={Link} to="/posts/new" leftSection={<IconPlus size={16} />} data-testid="new-post">
            {t('posts.new')}
          </Button>
        )}
      </Group>

      {isPhone ? (
        <>
          <Button
            variant="light"
            leftSection={<IconAdjustments size={16} />}
            onClick={() => setFiltersOpen((o) => !o)}
            aria-expanded={filtersOpen}
          >
            {filtersOpen ? t('filters.hide') : t('filters.show')}
          </Button>
          <Collapse expanded={filtersOpen}>{filterControls}</Collapse>
        </>
      ) : (
        filterControls
      )}

      <QueryState isLoading={posts.isLoading} error={posts.error} onRetry={() => void posts.refetch()}>
        <Text size="sm" c="dimmed" data-testid="posts-total">
          {t(posts.hasNextPage ? 'lists.shownMore' : 'posts.count', { count: items.length })}
        </Text>
        {items.length === 0 ? (
          <Text c="dimmed" py="lg" ta="center">
            {t('posts.empty')}
          </Text>
        ) : isPhone ? (
          <Stack gap="sm" data-testid="posts-cards">
            {items.map((post) => (
              <PostCard key={post.id} post={post} timeZone={tz} lang={lang} />
            ))}
          </Stack>
        ) : (
          <PostTable posts={items} timeZone={tz} lang={lang} />
        )}
        {posts.hasNextPage && (
          <Group justify="center">
            <Button
              variant="light"
              mih={44}
              loading={posts.isFetchingNextPage}
              onClick={() => void posts.fetchNextPage()}
              data-testid="posts-more"
            >
              {t('lists.loadMore')}
            </Button>
          </Group>
        )}
      </QueryState>
    </Stack>
  );
}

function VariantChips({ post }: { post: Post }) {
  return (
    <Group gap={4}>
      {post.variants.map((v) => (
        <VariantChip key={v.id} platform={v.platform} status={v.status} />
      ))}
    </Group>
  );
}

function PostCard({ post, timeZone, lang }: { post: Post; timeZone: string; lang: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm" data-testid="post-card">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <AnchorLink to="/posts/$postId" params={{ postId: String(post.id) }} fw={600} lineClamp={2}>
            {post.title}
          </AnchorLink>
          <PostStatusBadge status={post.status} />
        </Group>
        <Text size="sm" c="dimmed">
          {post.planned_at ? formatDateTime(post.planned_at, timeZone, lang) : t('posts.notPlanned')}
          {post.category ? ` · ${post.category}` : ''}
        </Text>
        <VariantChips post={post} />
      </Stack>
    </Card>
  );
}

function PostTable({ posts, timeZone, lang }: { posts: Post[]; timeZone: string; lang: string }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover verticalSpacing="sm" data-testid="posts-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('posts.columns.title')}</Table.Th>
            <Table.Th>{t('posts.columns.planned')}</Table.Th>
            <Table.Th>{t('posts.columns.category')}</Table.Th>
            <Table.Th>{t('posts.columns.variants')}</Table.Th>
            <Table.Th>{t('posts.columns.status')}</Table.Th>
            <Table.Th>{t('posts.columns.author')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {posts.map((post) => (
            <Table.Tr key={post.id} data-testid="post-row">
              <Table.Td maw={320}>
                <AnchorLink to="/posts/$postId" params={{ postId: String(post.id) }} fw={500}>
                  {post.title}
                </AnchorLink>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {post.planned_at ? formatDateTime(post.planned_at, timeZone, lang) : t('posts.notPlanned')}
              </Table.Td>
              <Table.Td>{post.category ?? '—'}</Table.Td>
              <Table.Td>
                <VariantChips post={post} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <PostStatusBadge status={post.status} />
              </Table.Td>
              <Table.Td>{post.author?.name}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import { useMemo, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Group,
  Loader,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import '@mantine/dates/styles.css';
import 'dayjs/locale/id';
import 'dayjs/locale/en-gb';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconArrowDownRight,
  IconArrowUpRight,
  IconDownload,
  IconExternalLink,
  IconInfoCircle,
  IconPhoto,
} from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../../app/useSession';
import { PlatformIcon } from '../../components/Badges';
import { QueryState } from '../../components/QueryState';
import { errorMessage } from '../../lib/errorMessage';
import { formatDateTime, zoneLabel } from '../../lib/time';
import { network } from '../../platforms';
import { useAccounts } from '../accounts/queries';
import { BreakdownChart, FollowersChart } from './Charts';
import { Heatmap } from './Heatmap';
import {
  type Change,
  type DashboardSearch,
  type Group as Breakdown,
  INTERVALS,
  type Interval,
  PRESETS,
  type PostStat,
  type Preset,
  answeredTotal,
  bestTimeRange,
  daysIn,
  defaultInterval,
  firstResponseHours,
  formatDay,
  formatNumber,
  formatPercent,
  formatSigned,
  formatSignedPercent,
  rangeOf,
  trend,
} from './model';
import {
  type CsvSeries,
  type Filters,
  type Order,
  downloadCsv,
  useBestTimes,
  useBreakdown,
  useCompare,
  useDormant,
  useFollowers,
  useInboxStats,
  usePostStats,
  usePostThumbnails,
  useSummary,
} from './queries';
import './dashboard.css';

interface Props {
  search: DashboardSearch;
  onSearch: (next: DashboardSearch) => void;
}

// Touch targets of at least 44 px on a phone.
const TALL = { input: { minHeight: 44 } } as const;

function CsvButton({ unitId, filters, series, name }: { unitId: number; filters: Filters; series: CsvSeries; name: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size="xs"
      variant="subtle"
      // The default subtle blue text is 3.5:1 on white; blue.9 reads at 4.5:1 and more.
      c="blue.9"
      leftSection={<IconDownload size={14} />}
      loading={busy}
      aria-label={t('dashboard.csvNamed', { name })}
      data-testid={`csv-${series.kind}`}
      onClick={() => {
        setBusy(true);
        downloadCsv(unitId, filters, series)
          .catch((e: unknown) => notifications.show({ color: 'red', title: t('dashboard.csvFailed'), message: errorMessage(t, e) }))
          .finally(() => setBusy(false));
      }}
    >
      {t('dashboard.csv')}
    </Button>
  );
}

function Section({ title, action, children, testId }: { title: string; action?: React.ReactNode; children: React.ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="md" data-testid={testId} style={{ minWidth: 0 }}>
      <Group justify="space-between" mb="sm" gap="xs" wrap="wrap">
        <Title order={2} size="h4">
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Card>
  );
}

function Kpi({ label, value, detail, testId }: { label: string; value: string; detail?: React.ReactNode; testId: string }) {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Text size="sm" c="gray.7" fw={500}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={`${testId}-value`}>
        {value}
      </Text>
      {detail && (
        <Text size="sm" c="gray.7" component="div">
          {detail}
        </Text>
      )}
    </Card>
  );
}

function Delta({ value, text }: { value: number | null | undefined; text: string }) {
  const direction = trend(value);
  const Icon = direction === 'down' ? IconArrowDownRight : IconArrowUpRight;
  return (
    <Group gap={2} wrap="nowrap" component="span" c={direction === 'up' ? 'teal.9' : direction === 'down' ? 'red.9' : 'gray.7'}>
      {direction !== 'flat' && <Icon size={14} aria-hidden />}
      <span>{text}</span>
    </Group>
  );
}

function FilterBar({
  search,
  onSearch,
  accounts,
  range,
  timeZone,
}: Props & { accounts: { id: number; handle: string; platform: string }[]; range: { start: string; end: string }; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const preset = search.range ?? '30d';
  const set = (patch: Partial<DashboardSearch>) => onSearch({ ...search, ...patch });
  return (
    <Stack gap="xs">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('dashboard.filters.range')}
          data={PRESETS.map((p) => ({ value: p, label: t(`dashboard.filters.presets.${p}`) }))}
          value={preset}
          allowDeselect={false}
          onChange={(v) => {
            if (!v) return;
            if (v === 'custom') set({ range: 'custom', start: range.start, end: range.end });
            else set({ range: v as Preset, start: undefined, end: undefined });
          }}
          styles={TALL}
          w={170}
          data-testid="filter-range"
        />
        {preset === 'custom' && (
          <DatesProvider settings={{ locale: i18n.language.startsWith('en') ? 'en-gb' : 'id', firstDayOfWeek: 1 }}>
            <DatePickerInput
              type="range"
              label={t('dashboard.filters.days')}
              value={[search.start ?? range.start, search.end ?? range.end]}
              onChange={([start, end]) => {
                if (start && end) set({ range: 'custom', start, end });
              }}
              valueFormat="D MMM YYYY"
              styles={TALL}
              miw={220}
              data-testid="filter-days"
            />
          </DatesProvider>
        )}
        <Select
          label={t('dashboard.filters.platform')}
          data={[
            { value: '', label: t('dashboard.filters.allPlatforms') },
            ...['x', 'instagram', 'facebook'].map((p) => ({ value: p, label: t(`platform.${p}`) })),
          ]}
          value={search.platform ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ platform: v ? (v as DashboardSearch['platform']) : undefined, account: undefined })}
          styles={TALL}
          w={170}
          data-testid="filter-platform"
        />
        <Select
          label={t('dashboard.filters.account')}
          data={[
            { value: '', label: t('dashboard.filters.allAccounts') },
            ...accounts
              .filter((a) => !search.platform || a.platform === search.platform)
              .map((a) => ({ value: String(a.id), label: `${t(`platform.${a.platform}`)} · ${a.handle}` })),
          ]}
          value={search.account ? String(search.account) : ''}
          allowDeselect={false}
          onChange={(v) => set({ account: v ? Number(v) : undefined })}
          styles={TALL}
          w={220}
          data-testid="filter-account"
        />
      </Group>
      <Text size="sm" c="gray.7" data-testid="range-label">
        {t('dashboard.filters.showing', {
          start: formatDay(range.start, i18n.language, true),
          end: formatDay(range.end, i18n.language, true),
          days: formatNumber(daysIn(range), i18n.language),
        })}{' '}
        · {t('dashboard.zone', { zone: zoneLabel(timeZone) })}
      </Text>
    </Stack>
  );
}

function DormantAlert({ unitId, timeZone }: { unitId: number; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const dormant = useDormant(unitId);
  const items = dormant.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title={t('dashboard.dormant.title', { count: items.length })} data-testid="dormant-alert">
      <Stack gap={4}>
        {items.map((d) => (
          <Group key={d.account_id} gap="xs" wrap="wrap" data-testid="dormant-account">
            <PlatformIcon platform={d.platform} />
            <Anchor component={Link} to="/accounts" hash={`account-${d.account_id}`} c="blue.9" fw={500} aria-label={t('dashboard.dormant.open', { handle: d.handle })}>
              {d.handle}
            </Anchor>
            <Text size="sm" c="dark.6">
              {d.reasons.map((r) => t(`dashboard.dormant.${r}`, { days: dormant.data?.dormant_days })).join('; ')}
              {' · '}
              {d.last_post_at
                ? t('dashboard.dormant.lastPost', { when: formatDateTime(d.last_post_at, timeZone, i18n.language) })
                : t('dashboard.dormant.never')}
            </Text>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}

function Kpis({ unitId, filters }: { unitId: number; filters: Filters }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const summary = useSummary(unitId, filters);
  const inbox = useInboxStats(unitId, filters);
  const response = inbox.data ? firstResponseHours(inbox.data) : null;
  return (
    <QueryState isLoading={summary.isLoading} error={summary.error} onRetry={() => void summary.refetch()}>
      {summary.data && (
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="sm" data-testid="kpis">
          {summary.data.accounts.map((a) => (
            <Kpi
              key={a.account_id}
              testId="kpi-followers"
              label={`${t('dashboard.kpi.followers', { platform: t(network(a.platform).labelKey) })} · ${a.handle}`}
              value={a.followers === null ? '–' : formatNumber(a.followers, lang, 0)}
              detail={
                a.followers === null ? (
                  t('dashboard.kpi.noFollowers')
                ) : (
                  <Delta
                    value={a.net_gain}
                    text={`${t('dashboard.kpi.followersChange', { change: formatSigned(a.net_gain, lang, 0) })}${
                      a.growth_rate === null ? '' : ` (${formatSignedPercent(a.growth_rate, lang)})`
                    }`}
                  />
                )
              }
            />
          ))}
          <Kpi
            testId="kpi-posts"
            label={t('dashboard.kpi.posts')}
            value={formatNumber(summary.data.totals.posts, lang, 0)}
            detail={t('dashboard.kpi.postsDetail', { interactions: formatNumber(summary.data.totals.interactions, lang, 0) })}
          />
          <Kpi
            testId="kpi-engagement"
            label={t('dashboard.kpi.engagement')}
            value={formatPercent(summary.data.totals.engagement_rate, lang)}
            detail={t('dashboard.kpi.engagementBasis')}
          />
          <Kpi
            testId="kpi-answered"
            label={`${t('dashboard.kpi.answered')} (${t('dashboard.kpi.allTime')})`}
            value={inbox.data ? formatNumber(answeredTotal(inbox.data), lang, 0) : inbox.isLoading ? '…' : '–'}
            detail={
              inbox.data &&
              (response === null
                ? t('dashboard.kpi.noAnswers')
                : 'median' in response
                  ? t('dashboard.kpi.median', { hours: formatNumber(response.median, lang) })
                  : t('dashboard.kpi.medianRange', { low: formatNumber(response.low, lang), high: formatNumber(response.high, lang) }))
            }
          />
        </SimpleGrid>
      )}
    </QueryState>
  );
}

function FollowersSection({ unitId, filters, interval, onInterval }: { unitId: number; filters: Filters; interval: Interval; onInterval: (i: Interval) => void }) {
  const { t } = useTranslation();
  const followers = useFollowers(unitId, filters, interval);
  const empty = followers.data && followers.data.accounts.every((a) => a.points.length === 0);
  const title = t('dashboard.followers.title');
  return (
    <Section
      title={title}
      testId="section-followers"
      action={
        <Group gap="xs" wrap="wrap">
          <SegmentedControl
            size="xs"
            aria-label={t('dashboard.followers.interval')}
            data={INTERVALS.map((i) => ({ value: i, label: t(`dashboard.followers.intervals.${i}`) }))}
            value={interval}
            onChange={(v) => onInterval(v as Interval)}
            data-testid="followers-interval"
          />
          <CsvButton unitId={unitId} filters={filters} series={{ kind: 'followers', interval }} name={title} />
        </Group>
      }
    >
      <QueryState isLoading={followers.isLoading} error={followers.error} onRetry={() => void followers.refetch()}>
        {empty || !followers.data ? (
          <Text size="sm" c="gray.7">
            {t('dashboard.followers.empty')}
          </Text>
        ) : (
          <FollowersChart data={followers.data} title={title} />
        )}
      </QueryState>
    </Section>
  );
}

/** A table that scrolls sideways inside its card on a narrow screen; focusable so keys scroll it too. */
function ScrollBox({ minWidth, label, children, mt }: { minWidth: number; label: string; children: React.ReactNode; mt?: string }) {
  return (
    <Box style={{ overflowX: 'auto' }} tabIndex={0} role="group" aria-label={label} mt={mt}>
      <Box miw={minWidth}>{children}</Box>
    </Box>
  );
}

function BreakdownTable({ items, labelOf, title }: { items: Breakdown[]; labelOf: (g: Breakdown) => string; title: string }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return null;
  return (
    <ScrollBox minWidth={320} label={title} mt="sm">
      <Table striped={false} withRowBorders verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th ta="right">{t('dashboard.compare.metrics.posts')}</Table.Th>
            <Table.Th ta="right">{t('dashboard.breakdown.avgInteractions')}</Table.Th>
            <Table.Th ta="right">{t('dashboard.compare.metrics.engagement_rate')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((g) => (
            <Table.Tr key={g.key ?? ''}>
              <Table.Th scope="row" fw={500}>
                {labelOf(g)}
              </Table.Th>
              <Table.Td ta="right">{formatNumber(g.posts, i18n.language, 0)}</Table.Td>
              <Table.Td ta="right">{formatNumber(g.avg_interactions, i18n.language)}</Table.Td>
              <Table.Td ta="right">{formatPercent(g.engagement_rate, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollBox>
  );
}

function BreakdownSection({ unitId, filters, by }: { unitId: number; filters: Filters; by: 'category' | 'format' }) {
  const { t } = useTranslation();
  const breakdown = useBreakdown(unitId, filters, by);
  const labelOf = (g: Breakdown) =>
    by === 'category' ? (g.key ?? t('dashboard.breakdown.noCategory')) : t(`dashboard.breakdown.formats.${g.key ?? 'text'}`);
  const title = t(`dashboard.breakdown.${by}`);
  return (
    <Section title={title} testId={`section-${by}`} action={<CsvButton unitId={unitId} filters={filters} series={{ kind: 'breakdown', by }} name={title} />}>
      <QueryState isLoading={breakdown.isLoading} error={breakdown.error} onRetry={() => void breakdown.refetch()}>
        {breakdown.data && (
          <>
            <BreakdownChart items={breakdown.data.items} labelOf={labelOf} title={title} />
            <BreakdownTable items={breakdown.data.items} labelOf={labelOf} title={title} />
          </>
        )}
      </QueryState>
    </Section>
  );
}

function PostRow({ post, thumbnail }: { post: PostStat; thumbnail?: { url: string; alt: string } }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start" data-testid="post-stat">
      {thumbnail ? (
        <img className="dashboard-thumb" src={thumbnail.url} alt={thumbnail.alt} loading="lazy" />
      ) : (
        <Box className="dashboard-thumb" bg="gray.1" style={{ display: 'grid', placeItems: 'center' }} aria-hidden>
          <IconPhoto size={22} color="#495057" />
        </Box>
      )}
      <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="nowrap">
          <PlatformIcon platform={post.platform} size={16} />
          <Text size="sm" fw={500} lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
            {post.title || t('dashboard.posts.untitled')}
          </Text>
        </Group>
        <Text size="sm" c="gray.7">
          {t('dashboard.posts.interactions', { value: formatNumber(post.interactions, lang, 0) })}
          {post.engagement_rate !== null && post.engagement_basis
            ? ` · ${t('dashboard.posts.rate', {
                rate: formatPercent(post.engagement_rate, lang),
                basis: t(`dashboard.posts.basis.${post.engagement_basis}`),
              })}`
            : ''}
        </Text>
        <Group gap="xs" wrap="wrap">
          {post.category && (
            <Badge size="sm" variant="light" color="gray" c="dark.6">
              {post.category}
            </Badge>
          )}
          <Badge size="sm" variant="light" color="gray" c="dark.6">
            {t(`dashboard.breakdown.formats.${post.format}`)}
          </Badge>
          {post.url && (
            <Anchor href={post.url} target="_blank" rel="noopener noreferrer" size="sm" c="blue.9" mih={44} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
              {t('dashboard.posts.open', { platform: network(post.platform).name })}
              <IconExternalLink size={14} aria-hidden />
            </Anchor>
          )}
        </Group>
      </Stack>
    </Group>
  );
}

function PostsSection({ unitId, filters, order }: { unitId: number; filters: Filters; order: Order }) {
  const { t } = useTranslation();
  const posts = usePostStats(unitId, filters, order);
  const items = posts.data?.items ?? [];
  const thumbnails = usePostThumbnails(items.flatMap((p) => (p.post_id ? [p.post_id] : [])));
  const title = t(`dashboard.posts.${order}`);
  return (
    <Section title={title} testId={`section-${order}`} action={<CsvButton unitId={unitId} filters={filters} series={{ kind: 'posts', order }} name={title} />}>
      <QueryState isLoading={posts.isLoading} error={posts.error} onRetry={() => void posts.refetch()}>
        {items.length === 0 ? (
          <Text size="sm" c="gray.7">
            {t('dashboard.posts.empty')}
          </Text>
        ) : (
          <Stack gap="sm">
            {items.map((p) => (
              <PostRow key={p.id} post={p} thumbnail={p.post_id && p.variant_id ? thumbnails.get(`${p.post_id}:${p.variant_id}`) : undefined} />
            ))}
          </Stack>
        )}
      </QueryState>
    </Section>
  );
}

function formatChange(c: Change, value: number | null | undefined, lang: string): string {
  return c.metric === 'engagement_rate' ? formatPercent(value, lang) : formatNumber(value, lang, 0);
}

function CompareSection({ unitId, filters }: { unitId: number; filters: Filters }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const compare = useCompare(unitId, filters);
  const title = t('dashboard.compare.title');
  const period = (p: { start: string; end: string }) => `${formatDay(p.start, lang, true)} – ${formatDay(p.end, lang, true)}`;
  return (
    <Section title={title} testId="section-compare" action={<CsvButton unitId={unitId} filters={filters} series={{ kind: 'compare' }} name={title} />}>
      <QueryState isLoading={compare.isLoading} error={compare.error} onRetry={() => void compare.refetch()}>
        {compare.data && (
          <>
            <Text size="sm" c="gray.7" mb="xs">
              {t('dashboard.compare.against', { current: period(compare.data.current), previous: period(compare.data.previous) })}
            </Text>
            <ScrollBox minWidth={360} label={title}>
              <Table verticalSpacing={4} fz="sm" data-testid="compare-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('dashboard.compare.metric')}</Table.Th>
                    <Table.Th ta="right">{t('dashboard.compare.current')}</Table.Th>
                    <Table.Th ta="right">{t('dashboard.compare.previous')}</Table.Th>
                    <Table.Th ta="right">{t('dashboard.compare.change')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {compare.data.changes.map((c) => (
                    <Table.Tr key={c.metric}>
                      <Table.Th scope="row" fw={500}>
                        {t(`dashboard.compare.metrics.${c.metric}`)}
                      </Table.Th>
                      <Table.Td ta="right">{formatChange(c, c.current, lang)}</Table.Td>
                      <Table.Td ta="right">{formatChange(c, c.previous, lang)}</Table.Td>
                      <Table.Td ta="right">
                        <Group justify="flex-end" component="span">
                          <Delta
                            value={c.change}
                            text={c.change_pct !== null ? formatSignedPercent(c.change_pct, lang) : c.metric === 'engagement_rate' ? formatSignedPercent(c.change, lang) : formatSigned(c.change, lang, 0)}
                          />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollBox>
          </>
        )}
      </QueryState>
    </Section>
  );
}

function BestTimesSection({ unitId, filters, zone }: { unitId: number; filters: Filters; zone: string }) {
  const { t, i18n } = useTranslation();
  const days = useMemo(() => ({ ...filters, ...bestTimeRange(filters) }), [filters]);
  const best = useBestTimes(unitId, days);
  const title = t('dashboard.heatmap.title');
  return (
    <Section title={title} testId="section-best-times" action={<CsvButton unitId={unitId} filters={days} series={{ kind: 'best-times' }} name={title} />}>
      <Text size="sm" c="gray.7" mb={4}>
        {t('dashboard.heatmap.period', { start: formatDay(days.start, i18n.language, true), end: formatDay(days.end, i18n.language, true) })}
      </Text>
      <QueryState isLoading={best.isLoading} error={best.error} onRetry={() => void best.refetch()}>
        {best.data && <Heatmap cells={best.data.cells} minReliable={best.data.min_reliable_posts} zone={zone} />}
      </QueryState>
    </Section>
  );
}

export default function DashboardPage({ search, onSearch }: Props) {
  const { t } = useTranslation();
  const { unit, isLoading: unitLoading } = useUnits();
  const timeZone = unit?.timezone ?? 'Asia/Jakarta';
  const accounts = useAccounts(unit?.id);
  const range = useMemo(() => rangeOf(search, timeZone), [search, timeZone]);
  const filters: Filters = useMemo(
    () => ({ ...range, platform: search.platform, account: search.account }),
    [range, search.platform, search.account],
  );
  const interval = search.interval ?? defaultInterval(range);
  const list = (accounts.data?.items ?? []).map((a) => ({ id: a.id, handle: a.handle, platform: a.platform }));

  if (unitLoading) {
    return <Loader aria-label={t('app.loading')} />;
  }
  if (!unit) {
    return (
      <Alert color="blue" icon={<IconInfoCircle />} data-testid="dashboard-no-unit">
        {t('dashboard.noUnit')}
      </Alert>
    );
  }
  const unitId = unit.id;
  return (
    <Stack gap="md" data-testid="dashboard" style={{ minWidth: 0 }}>
      <Stack gap={2}>
        <Title order={1} size="h2">
          {t('dashboard.title')}
        </Title>
        <Text size="sm" c="gray.7">
          {t('dashboard.subtitle')}
        </Text>
      </Stack>
      <DormantAlert unitId={unitId} timeZone={timeZone} />
      <QueryState isLoading={accounts.isLoading} error={accounts.error} onRetry={() => void accounts.refetch()}>
        {list.length === 0 ? (
          <Alert color="blue" icon={<IconInfoCircle />} data-testid="dashboard-no-accounts">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('dashboard.noAccounts')}</Text>
              <Button component={Link} to="/accounts" size="sm">
                {t('dashboard.connect')}
              </Button>
            </Stack>
          </Alert>
        ) : (
          <Stack gap="md">
            <FilterBar search={search} onSearch={onSearch} accounts={list} range={range} timeZone={timeZone} />
            <Kpis unitId={unitId} filters={filters} />
            <FollowersSection unitId={unitId} filters={filters} interval={interval} onInterval={(i) => onSearch({ ...search, interval: i })} />
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
              <BreakdownSection unitId={unitId} filters={filters} by="category" />
              <BreakdownSection unitId={unitId} filters={filters} by="format" />
              <PostsSection unitId={unitId} filters={filters} order="top" />
              <PostsSection unitId={unitId} filters={filters} order="bottom" />
            </SimpleGrid>
            <BestTimesSection unitId={unitId} filters={filters} zone={zoneLabel(timeZone)} />
            <CompareSection unitId={unitId} filters={filters} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

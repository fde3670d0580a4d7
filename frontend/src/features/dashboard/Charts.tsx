import { BarChart, LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Box, ColorSwatch, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { network } from '../../platforms';
import { type FollowersRead, type Group as Breakdown, formatDay, formatNumber, followerRows } from './model';

// Axis and legend text: the charts' default ("dimmed", about 3.3:1 on white) is too faint.
const TEXT = 'gray.7';
// Lines of one network share its colour; a second account of it gets a shade of another.
const SPARE = ['teal.8', 'orange.8', 'violet.8', 'cyan.8'];

/** A chart inside its card: on a narrow screen it scrolls sideways, the page does not. */
export function ChartScroll({ minWidth, children, label }: { minWidth: number; children: React.ReactNode; label: string }) {
  return (
    // Focusable so a keyboard user can scroll it (axe: scrollable-region-focusable).
    <Box style={{ overflowX: 'auto' }} tabIndex={0} role="group" aria-label={label} data-testid="chart-scroll">
      <Box miw={minWidth}>{children}</Box>
    </Box>
  );
}

export function FollowersChart({ data, title }: { data: FollowersRead; title: string }) {
  const { t, i18n } = useTranslation();
  const { rows, series } = followerRows(data);
  const used = new Set<string>();
  let spare = 0;
  const colored = series.map((s) => {
    const base = network(s.platform).color;
    const color = used.has(base) ? SPARE[spare++ % SPARE.length] : `${base}.7`;
    used.add(base);
    return { name: s.name, label: `${t(network(s.platform).labelKey)} ${s.label}`, color };
  });
  const withYear = rows.length > 0 && String(rows[0].period).slice(0, 4) !== String(rows[rows.length - 1].period).slice(0, 4);
  return (
    <>
      <ChartScroll minWidth={Math.max(520, rows.length * 14)} label={title}>
        <LineChart
          h={280}
          data={rows}
          dataKey="period"
          series={colored}
          curveType="monotone"
          withDots={rows.length <= 31}
          connectNulls
          textColor={TEXT}
          valueFormatter={(v) => formatNumber(v, i18n.language, 0)}
          xAxisProps={{ tickFormatter: (day: string) => formatDay(day, i18n.language, withYear) }}
          yAxisProps={{ width: 72, domain: ['auto', 'auto'] }}
          data-testid="followers-chart"
        />
      </ChartScroll>
      {/* The legend stays outside the scrolling area: on a phone every line stays named. */}
      <Group gap="md" mt="xs" wrap="wrap" data-testid="followers-legend">
        {colored.map((s) => (
          <Group key={s.name} gap={6} wrap="nowrap">
            <ColorSwatch color={`var(--mantine-color-${s.color.replace('.', '-')})`} size={12} aria-hidden />
            <Text size="sm" c="gray.8">
              {s.label}
            </Text>
          </Group>
        ))}
      </Group>
    </>
  );
}

export function BreakdownChart({ items, labelOf, title }: { items: Breakdown[]; labelOf: (g: Breakdown) => string; title: string }) {
  const { t, i18n } = useTranslation();
  const rows = items.map((g) => ({ label: labelOf(g), interactions: g.interactions, avg: g.avg_interactions ?? 0, posts: g.posts }));
  if (rows.length === 0) {
    return (
      <Text size="sm" c="gray.7">
        {t('dashboard.breakdown.empty')}
      </Text>
    );
  }
  return (
    <ChartScroll minWidth={Math.max(320, rows.length * 110)} label={title}>
      <BarChart
        h={240}
        data={rows}
        dataKey="label"
        series={[{ name: 'interactions', label: t('dashboard.compare.metrics.interactions'), color: 'blue.7' }]}
        textColor={TEXT}
        valueFormatter={(v) => formatNumber(v, i18n.language, 0)}
        // Every group's name under its bar, none skipped for lack of room.
        xAxisProps={{ interval: 0 }}
        yAxisProps={{ width: 64 }}
      />
    </ChartScroll>
  );
}

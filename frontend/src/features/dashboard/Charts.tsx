import { BarChart, LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Box, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { network } from '../../platforms';
import { type FollowersRead, type Group, formatDay, formatNumber, followerRows } from './model';

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
    <ChartScroll minWidth={Math.max(520, rows.length * 14)} label={title}>
      <LineChart
        h={280}
        data={rows}
        dataKey="period"
        series={colored}
        curveType="monotone"
        withDots={rows.length <= 31}
        connectNulls
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        textColor={TEXT}
        valueFormatter={(v) => formatNumber(v, i18n.language, 0)}
        xAxisProps={{ tickFormatter: (day: string) => formatDay(day, i18n.language, withYear) }}
        yAxisProps={{ width: 72, domain: ['auto', 'auto'] }}
        data-testid="followers-chart"
      />
    </ChartScroll>
  );
}

export function BreakdownChart({ items, labelOf, title }: { items: Group[]; labelOf: (g: Group) => string; title: string }) {
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
    <ChartScroll minWidth={Math.max(320, rows.length * 72)} label={title}>
      <BarChart
        h={240}
        data={rows}
        dataKey="label"
        series={[{ name: 'interactions', label: t('dashboard.compare.metrics.interactions'), color: 'blue.7' }]}
        textColor={TEXT}
        valueFormatter={(v) => formatNumber(v, i18n.language, 0)}
        yAxisProps={{ width: 64 }}
      />
    </ChartScroll>
  );
}

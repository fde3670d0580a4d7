import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { HEAT_COLORS, type Cell, bestSlots, formatNumber, heatmapRows } from './model';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const pad = (h: number) => String(h).padStart(2, '0');

/**
 * The best-time grid as a table (weekday rows × 24 local hours): every cell shows its sample
 * size; a cell with fewer posts than the API trusts gets a dashed border and the palest
 * shade whatever its average, with the reason in its title and accessible name.
 */
export function Heatmap({ cells, minReliable, zone }: { cells: Cell[]; minReliable: number; zone: string }) {
  const { t, i18n } = useTranslation();
  const days = t('dashboard.heatmap.weekdays', { returnObjects: true }) as string[];
  const longDays = t('dashboard.heatmap.weekdaysLong', { returnObjects: true }) as string[];
  const rows = heatmapRows(cells);
  const best = bestSlots(cells);
  const hourSep = i18n.language.startsWith('en') ? ':' : '.';
  return (
    <Box>
      <Text size="sm" c="gray.7" mb="xs">
        {t('dashboard.heatmap.caption', { zone })}
      </Text>
      <Text size="sm" fw={500} mb="xs" data-testid="heatmap-best">
        {best.length
          ? t('dashboard.heatmap.best', {
              slots: best.map((c) => `${longDays[c.weekday]} ${pad(c.hour)}${hourSep}00`).join(', '),
            })
          : t('dashboard.heatmap.noBest')}
      </Text>
      <Box style={{ overflowX: 'auto' }} tabIndex={0} role="group" aria-label={t('dashboard.heatmap.title')}>
        <table className="dashboard-heatmap" data-testid="heatmap">
          <caption className="dashboard-visually-hidden">{t('dashboard.heatmap.caption', { zone })}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="dashboard-visually-hidden">{t('dashboard.heatmap.day')}</span>
              </th>
              {HOURS.map((h) => (
                <th key={h} scope="col">
                  {pad(h)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, weekday) => (
              <tr key={weekday}>
                <th scope="row">{days[weekday]}</th>
                {row.map((cell) => {
                  const colors = HEAT_COLORS[cell.level];
                  const label =
                    cell.posts === 0
                      ? t('dashboard.heatmap.cellEmpty', { day: longDays[weekday], hour: pad(cell.hour) })
                      : t('dashboard.heatmap.cell', {
                          day: longDays[weekday],
                          hour: pad(cell.hour),
                          posts: formatNumber(cell.posts, i18n.language),
                          avg: formatNumber(cell.avgInteractions, i18n.language),
                        }) + (cell.reliable ? '' : ` — ${t('dashboard.heatmap.unreliable', { min: minReliable })}`);
                  return (
                    <td
                      key={cell.hour}
                      title={label}
                      aria-label={label}
                      data-testid="heatmap-cell"
                      data-posts={cell.posts}
                      data-reliable={cell.reliable}
                      className={cell.posts > 0 && !cell.reliable ? 'unreliable' : undefined}
                      style={{ background: colors.background, color: colors.text }}
                    >
                      {cell.posts > 0 ? formatNumber(cell.posts, i18n.language, 0) : ''}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </Box>
      <Group gap="md" mt="xs" wrap="wrap">
        <Group gap={6} wrap="nowrap">
          <span className="dashboard-heatmap-key unreliable" style={{ background: HEAT_COLORS[1].background }} aria-hidden />
          <Text size="xs" c="gray.7">
            {t('dashboard.heatmap.unreliable', { min: minReliable })}
          </Text>
        </Group>
        <Text size="xs" c="gray.7" hiddenFrom="sm">
          {t('dashboard.heatmap.scroll')}
        </Text>
      </Group>
    </Box>
  );
}

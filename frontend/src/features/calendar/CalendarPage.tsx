import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Collapse,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import {
  IconArrowsMove,
  IconChevronLeft,
  IconChevronRight,
  IconExternalLink,
  IconFilter,
  IconTemplate,
} from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import FullCalendar from '@fullcalendar/react';
import type {
  CalendarRef,
  DateClickInfo,
  DatesSetInfo,
  EventClickInfo,
  EventDisplayInfo,
  EventDropInfo,
  MoreLinkHandler,
} from '@fullcalendar/react';
import dayGridPlugin from '@fullcalendar/react/daygrid';
import timeGridPlugin from '@fullcalendar/react/timegrid';
import listPlugin from '@fullcalendar/react/list';
import interactionPlugin from '@fullcalendar/react/interaction';
import classicTheme from '@fullcalendar/react/themes/classic';
import idLocale from '@fullcalendar/react/locales/id';
import enLocale from '@fullcalendar/react/locales/en-gb';
import '@fullcalendar/react/skeleton.css';
import '@fullcalendar/react/themes/classic/theme.css';
import '@fullcalendar/react/themes/classic/palette.css';
import './calendar.css';
import { api } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import { useUnits } from '../../app/useSession';
import { PlatformIcon } from '../../components/Badges';
import { errorMessage } from '../../lib/errorMessage';
import { formatDateTime, todayIn, zoneLabel } from '../../lib/time';
import { NETWORKS, network } from '../../platforms';
import { useAccounts } from '../accounts/queries';
import { publishingSettings } from '../composer/unit';
import {
  CALENDAR_STATUSES,
  OBSERVANCE_COLORS,
  STATUS_COLORS,
  type CalendarEvent,
  type MoreEvent,
  dayLabel,
  dayIn,
  entriesToEvents,
  gapDays,
  moreEvents,
  newPostHref,
  observanceName,
  observancesByDate,
  observancesToEvents,
  weekOf,
  weekdayName,
} from './model';
import { MoveDialog } from './MoveDialog';
import { useCalendar, useReschedule, useTemplates } from './queries';
import { CALENDAR_VIEWS, type CalendarSearch, type CalendarView } from './search';
import type { CalendarEntry, Observance } from './types';

const FC_VIEWS: Record<CalendarView, string> = {
  month: 'dayGridMonth',
  week: 'timeGridWeek',
  list: 'listMonth',
  day: 'listDay',
};
const isList = (type: string) => type === FC_VIEWS.list || type === FC_VIEWS.day;
/**
 * In the list nothing is dragged, so each entry carries its own controls (open, the platform's
 * link, "Pindahkan"): the entry itself is then no button, or they would be nested in one.
 */
const VIEW_OPTIONS = { listMonth: { eventInteractive: false }, listDay: { eventInteractive: false } };
const PLUGINS = [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin, classicTheme];
const TIME_FORMAT = { hour: '2-digit', minute: '2-digit', hour12: false } as const;
/** Statuses whose move may send the variant back to review (the unit's approval rule). */
const REVIEWED = new Set(['approved', 'scheduled']);
/** A day (or slot) already over cannot take a post: the server would refuse it anyway. */
const allowDrop = (span: { end: Date }) => span.end.getTime() > Date.now();

/**
 * A callback whose identity never changes but which always runs the latest closure: FullCalendar
 * redraws every event when a handler or content function changes, so they must stay stable.
 */
function useStable<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const ref = useRef(fn);
  useLayoutEffect(() => {
    ref.current = fn;
  });
  return useCallback((...args: A) => ref.current(...args), []);
}

interface Props {
  search: CalendarSearch;
  onSearch: (next: CalendarSearch) => void;
}

export function CalendarPage({ search, onSearch }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const { unit } = useUnits();
  const timeZone = unit?.timezone ?? 'Asia/Jakarta';
  const isPhone = useMediaQuery('(max-width: 767px)') ?? false;
  const view: CalendarView = search.view ?? (isPhone ? 'list' : 'month');
  const calendarRef = useRef<CalendarRef>(null);
  const [range, setRange] = useState<{ start: string; end: string } | null>(null);
  const [heading, setHeading] = useState('');
  const [templateDay, setTemplateDay] = useState<{ date: string; observance: Observance | null } | null>(null);
  const [moving, setMoving] = useState<CalendarEntry | null>(null);
  const navigate = useNavigate();

  // One FullCalendar for the screen's life: a view change keeps the dates in sight.
  useEffect(() => {
    const fc = calendarRef.current?.getApi();
    if (fc && fc.view.type !== FC_VIEWS[view]) fc.changeView(FC_VIEWS[view]);
  }, [view]);

  const calendar = useCalendar(unit?.id, range, search);
  const accounts = useAccounts(unit?.id);
  const categories = useQuery({
    queryKey: ['categories', unit?.id],
    queryFn: () => api.categories(unit!.id),
    enabled: unit !== null,
  });
  const reschedule = useReschedule(unit?.id ?? 0);

  const entries = useMemo(() => calendar.data?.entries ?? [], [calendar.data]);
  const observances = useMemo(() => calendar.data?.observances ?? [], [calendar.data]);
  const more = useMemo(() => (calendar.data ? moreEvents(calendar.data) : []), [calendar.data]);
  const events = useMemo(
    () => [...more, ...entriesToEvents(entries), ...observancesToEvents(observances, lang)],
    [more, entries, observances, lang],
  );
  const byDate = useMemo(() => observancesByDate(observances), [observances]);

  const today = todayIn(timeZone);
  const thisWeek = weekOf(today);
  // Gaps only make sense when the whole current week is inside the loaded range.
  const weekLoaded =
    range !== null &&
    calendar.data !== undefined &&
    !calendar.isPlaceholderData &&
    Date.parse(range.start) <= Date.parse(`${thisWeek[0]}T00:00:00Z`) - 14 * 3600_000 &&
    Date.parse(range.end) >= Date.parse(`${thisWeek[6]}T23:59:59Z`) + 14 * 3600_000;
  const gaps = weekLoaded ? gapDays(entries, timeZone, today) : [];

  const authors = useMemo(() => {
    const seen = new Map<number, string>();
    for (const e of entries) if (e.author_id !== null) seen.set(e.author_id, e.author_name ?? `#${e.author_id}`);
    if (search.author && !seen.has(search.author)) seen.set(search.author, `#${search.author}`);
    return Array.from(seen, ([value, label]) => ({ value: String(value), label }));
  }, [entries, search.author]);

  const setFilter = (patch: Partial<CalendarSearch>) => onSearch({ ...search, ...patch });
  const activeFilters = [search.platform, search.account, search.statuses, search.category, search.author].filter(
    Boolean,
  ).length;
  const hasFilters = activeFilters > 0;
  // On a phone the filters fold away behind one button so the calendar is in sight.
  const [filtersOpen, setFiltersOpen] = useState(false);
  const filtersShown = !isPhone || filtersOpen;
  const inputStyles = isPhone ? { input: { minHeight: 44 } } : undefined;

  const onDatesSet = useCallback((info: DatesSetInfo) => {
    setRange((prev) => {
      const next = { start: info.start.toISOString(), end: info.end.toISOString() };
      return prev && prev.start === next.start && prev.end === next.end ? prev : next;
    });
    setHeading(info.view.title);
  }, []);

  const api_ = () => calendarRef.current?.getApi();

  const openEntry = useStable((entry: CalendarEntry) => {
    void navigate({ to: '/posts/$postId', params: { postId: String(entry.post_id) } });
  });

  /** A busy day opens on its own, with every entry. */
  const openDay = useStable((date: string) => {
    api_()?.changeView(FC_VIEWS.day, date);
    onSearch({ ...search, view: 'day', date });
  });

  // A day the server cut short has its "more" open the whole day: the popover would list only
  // what was sent.
  const cutShort = useMemo(() => new Set(more.map((m) => m.extendedProps.more.date)), [more]);
  const onMoreLink = useStable((info: Parameters<MoreLinkHandler>[0]) => {
    const day = dayIn(info.date, timeZone);
    if (!cutShort.has(day)) return 'popover';
    openDay(day);
    return FC_VIEWS.day;
  });

  const onEventClick = useStable((info: EventClickInfo) => {
    const props = info.event.extendedProps as Partial<CalendarEvent['extendedProps'] & MoreEvent['extendedProps']>;
    const target = info.jsEvent.target;
    // The list's own controls (a link, "Pindahkan", "Lihat semua") act for themselves.
    if (target instanceof Element && target.closest('.gaung-ev__control')) return;
    if (props.more) {
      info.jsEvent.preventDefault();
      openDay(props.more.date);
      return;
    }
    const entry = props.entry;
    if (!entry) return;
    info.jsEvent.preventDefault();
    if (entry.external_url && target instanceof Element && target.closest('.gaung-ev__link')) {
      window.open(entry.external_url, '_blank', 'noopener,noreferrer');
      return;
    }
    openEntry(entry);
  });

  function moveErrorMessage(error: unknown): string {
    if (isApiError(error)) {
      if (error.status === 409 && error.code === 'post_state') return t('calendar.move.postState');
      if (error.status === 422 && 'at' in error.fields) return t('calendar.move.past');
    }
    return errorMessage(t, error);
  }

  /** Drag and "Pindahkan" alike: the entry moves at once, and back with the reason if refused. */
  function move(entry: CalendarEntry, at: string, revert?: () => void) {
    const when = formatDateTime(at, timeZone, lang);
    reschedule.mutate(
      { postId: entry.post_id, variantId: entry.variant_id, at },
      {
        onSuccess: (post) => {
          const variant = post.variants.find((v) => v.id === entry.variant_id);
          const backToReview = REVIEWED.has(entry.status) && variant?.status === 'in_review';
          notifications.show({
            color: backToReview ? 'orange' : 'green',
            message: t(backToReview ? 'calendar.move.backToReview' : 'calendar.move.done', { when }),
          });
        },
        onError: (error) => {
          revert?.();
          notifications.show({ color: 'red', title: t('calendar.move.refused'), message: moveErrorMessage(error) });
        },
      },
    );
  }

  const onEventDrop = useStable((info: EventDropInfo) => {
    const entry = (info.event.extendedProps as CalendarEvent['extendedProps']).entry;
    const start = info.event.start;
    if (!entry || !start || !entry.can_move) {
      info.revert();
      notifications.show({ color: 'red', message: t('calendar.move.fixed') });
      return;
    }
    move(entry, start.toISOString(), info.revert);
  });

  const renderEvent = useCallback((info: EventDisplayInfo) => {
    const props = info.event.extendedProps as Partial<CalendarEvent['extendedProps'] & MoreEvent['extendedProps']> & {
      observance?: Observance;
    };
    if (props.more) {
      const { date, total } = props.more;
      const label = t('calendar.more.label', { count: total, day: dayLabel(date, lang) });
      const text = t('calendar.more.text', { count: total });
      // In the lists the entry is no button (eventInteractive off): the row carries its own.
      return isList(info.view.type) ? (
        <button
          type="button"
          className="gaung-more__open gaung-ev__control"
          aria-label={label}
          onClick={() => openDay(date)}
          data-testid="calendar-more"
          data-day={date}
        >
          {text}
        </button>
      ) : (
        <span className="gaung-more__open" title={label} data-testid="calendar-more" data-day={date}>
          {text}
          <span className="gaung-visually-hidden">{` · ${label}`}</span>
        </span>
      );
    }
    if (props.observance) {
      return (
        <span
          className="gaung-observance__label"
          style={{ color: OBSERVANCE_COLORS[props.observance.kind].text }}
          data-testid="observance"
        >
          {observanceName(props.observance, lang)}
        </span>
      );
    }
    const entry = props.entry;
    const status = props.status;
    if (!entry || !status) return null;
    const color = STATUS_COLORS[status];
    const platformName = t(network(entry.platform).labelKey);
    const hidden = ` · ${platformName} · ${t(`calendar.status.${status}`)}`;
    if (isList(info.view.type)) {
      const title = entry.title || entry.excerpt;
      return (
        <div
          className="gaung-ev gaung-ev--list"
          style={{ background: color.background, color: color.text }}
          data-testid="calendar-entry"
          data-variant={entry.variant_id}
          data-post={entry.post_id}
          data-status={status}
          data-day={info.event.start ? info.event.start.toISOString() : ''}
        >
          <a
            className="gaung-ev__open gaung-ev__control"
            href={`/posts/${entry.post_id}`}
            onClick={(e) => {
              e.preventDefault();
              openEntry(entry);
            }}
            data-testid="entry-open"
          >
            <PlatformIcon platform={entry.platform} size={14} />
            <span className="gaung-ev__time">{info.timeText}</span>
            <span className="gaung-ev__title">{title}</span>
            <span className="gaung-visually-hidden">{hidden}</span>
          </a>
          {entry.external_url && (
            <a
              className="gaung-ev__link gaung-ev__control"
              href={entry.external_url}
              target="_blank"
              rel="noopener noreferrer"
              aria-label={t('calendar.viewOn', { platform: platformName })}
              title={t('calendar.viewOn', { platform: platformName })}
              data-href={entry.external_url}
              data-testid="entry-external-link"
            >
              <IconExternalLink size={16} aria-hidden />
            </a>
          )}
          {entry.can_move && (
            <button
              type="button"
              className="gaung-ev__move gaung-ev__control"
              aria-label={t('calendar.move.actionLabel', { title })}
              onClick={() => setMoving(entry)}
              data-testid="entry-move"
            >
              <IconArrowsMove size={16} aria-hidden />
              <span>{t('calendar.move.action')}</span>
            </button>
          )}
        </div>
      );
    }
    return (
      <div
        className="gaung-ev"
        style={{ background: color.background, color: color.text }}
        data-testid="calendar-entry"
        data-variant={entry.variant_id}
        data-post={entry.post_id}
        data-status={status}
        data-day={info.event.start ? info.event.start.toISOString() : ''}
        title={`${platformName} · ${entry.account_name} · ${t(`calendar.status.${status}`)}: ${entry.title}`}
      >
        <PlatformIcon platform={entry.platform} size={14} />
        <span className="gaung-ev__time">{info.timeText}</span>
        <span className="gaung-ev__title">{entry.title || entry.excerpt}</span>
        <span className="gaung-visually-hidden">{hidden}</span>
        {entry.external_url && (
          // Not a link of its own: the entry is already a button, and a control inside it would be
          // a nested one for keyboards and screen readers. A click on the icon opens the platform
          // (onEventClick); the post's page lists the same link for everyone.
          <span
            className="gaung-ev__link"
            aria-hidden
            title={t('calendar.viewOn', { platform: platformName })}
            data-href={entry.external_url}
            data-testid="entry-external-link"
          >
            <IconExternalLink size={14} aria-hidden />
          </span>
        )}
      </div>
    );
  }, [t, lang, openEntry, openDay]);

  const onDateClick = useStable((info: DateClickInfo) => {
    const day = info.dateStr.slice(0, 10);
    const observance = byDate.get(day)?.[0];
    if (observance) setTemplateDay({ date: day, observance });
  });

  const statusOptions = CALENDAR_STATUSES.map((s) => ({ value: s, label: t(`calendar.status.${s}`) }));

  return (
    <Stack gap="sm" data-testid="calendar-page">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={2}>{t('calendar.title')}</Title>
        <Text size="sm" c="dark.6">
          {t('calendar.zone', { zone: zoneLabel(timeZone) })}
        </Text>
      </Group>

      {isPhone && (
        <Button
          variant="default"
          mih={44}
          leftSection={<IconFilter size={16} aria-hidden />}
          onClick={() => setFiltersOpen((o) => !o)}
          aria-expanded={filtersShown}
          aria-controls="calendar-filters"
          data-testid="filters-toggle"
        >
          {t('calendar.filters.toggle', { count: activeFilters })}
        </Button>
      )}
      <Collapse expanded={filtersShown}>
        <Group gap="xs" wrap="wrap" align="flex-end" id="calendar-filters" data-testid="calendar-filters">
          <Select
            label={t('calendar.filters.platform')}
            placeholder={t('calendar.filters.all')}
            data={NETWORKS.map((n) => ({ value: n.platform, label: t(n.labelKey) }))}
            value={search.platform ?? null}
            onChange={(v) => setFilter({ platform: (v as CalendarSearch['platform']) ?? undefined })}
            clearable
            w={isPhone ? '100%' : 170}
            styles={inputStyles}
            data-testid="filter-platform"
          />
          <Select
            label={t('calendar.filters.account')}
            placeholder={t('calendar.filters.all')}
            data={(accounts.data?.items ?? []).map((a) => ({ value: String(a.id), label: a.display_name }))}
            value={search.account ? String(search.account) : null}
            onChange={(v) => setFilter({ account: v ? Number(v) : undefined })}
            clearable
            searchable
            w={isPhone ? '100%' : 200}
            styles={inputStyles}
            data-testid="filter-account"
          />
          <MultiSelect
            label={t('calendar.filters.status')}
            placeholder={search.statuses?.length ? undefined : t('calendar.filters.all')}
            data={statusOptions}
            value={search.statuses ?? []}
            onChange={(v) => setFilter({ statuses: v.length ? (v as CalendarSearch['statuses']) : undefined })}
            clearable
            w={isPhone ? '100%' : 240}
            styles={inputStyles}
            data-testid="filter-status"
          />
          <Select
            label={t('calendar.filters.category')}
            placeholder={t('calendar.filters.all')}
            data={categories.data?.items ?? []}
            value={search.category ?? null}
            onChange={(v) => setFilter({ category: v ?? undefined })}
            clearable
            searchable
            w={isPhone ? '100%' : 180}
            styles={inputStyles}
            data-testid="filter-category"
          />
          <Select
            label={t('calendar.filters.author')}
            placeholder={t('calendar.filters.all')}
            data={authors}
            value={search.author ? String(search.author) : null}
            onChange={(v) => setFilter({ author: v ? Number(v) : undefined })}
            clearable
            w={isPhone ? '100%' : 180}
            styles={inputStyles}
            data-testid="filter-author"
          />
          {hasFilters && (
            <Button
              variant="subtle"
              mih={44}
              onClick={() => onSearch({ view: search.view, date: search.date })}
              data-testid="filter-clear"
            >
              {t('calendar.filters.clear')}
            </Button>
          )}
        </Group>
      </Collapse>

      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap={4} wrap="nowrap">
          <ActionIcon
            variant="default"
            size={44}
            aria-label={t('calendar.prev')}
            onClick={() => api_()?.prev()}
            data-testid="calendar-prev"
          >
            <IconChevronLeft size={20} aria-hidden />
          </ActionIcon>
          <Button variant="default" h={44} onClick={() => api_()?.today()} data-testid="calendar-today">
            {t('calendar.today')}
          </Button>
          <ActionIcon
            variant="default"
            size={44}
            aria-label={t('calendar.next')}
            onClick={() => api_()?.next()}
            data-testid="calendar-next"
          >
            <IconChevronRight size={20} aria-hidden />
          </ActionIcon>
          <Text fw={600} ml="xs" aria-live="polite" data-testid="calendar-heading">
            {heading}
          </Text>
          {calendar.isFetching && <Loader size="xs" aria-label={t('calendar.loading')} />}
        </Group>
        <SegmentedControl
          aria-label={t('calendar.viewLabel')}
          value={view}
          onChange={(v) => setFilter({ view: v as CalendarView })}
          data={CALENDAR_VIEWS.map((v) => ({ value: v, label: t(`calendar.views.${v}`) }))}
          styles={{ label: { minHeight: 44, display: 'flex', alignItems: 'center', paddingInline: 14 } }}
          data-testid="calendar-view"
        />
      </Group>

      {calendar.error && (
        <Alert color="red" role="alert" title={t('calendar.loadError')}>
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, calendar.error)}</Text>
            <Button size="xs" variant="light" color="red" mih={36} onClick={() => void calendar.refetch()}>
              {t('app.retry')}
            </Button>
          </Group>
        </Alert>
      )}

      {gaps.length > 0 && (
        <Alert color="blue" variant="light" title={t('calendar.gaps.title')} data-testid="calendar-gaps">
          <Group gap="xs" wrap="wrap">
            {gaps.map((day) => (
              <Text key={day} size="sm" data-testid="calendar-gap" data-day={day}>
                {t('calendar.gaps.day', { day: weekdayName(day, lang) })}
              </Text>
            ))}
          </Group>
        </Alert>
      )}

      <Paper
        withBorder
        p={isPhone ? 4 : 'xs'}
        className="gaung-calendar"
        data-view={view}
        data-fetching={calendar.isFetching ? 'true' : 'false'}
        data-updated={calendar.dataUpdatedAt}
        data-testid="calendar"
      >
        <FullCalendar
          ref={calendarRef}
          plugins={PLUGINS}
          initialView={FC_VIEWS[view]}
          views={VIEW_OPTIONS}
          initialDate={search.date}
          timeZone={timeZone}
          locale={lang === 'en' ? enLocale : idLocale}
          firstDay={1}
          headerToolbar={false}
          height="auto"
          events={events}
          eventContent={renderEvent}
          backgroundEventContent={renderEvent}
          scrollTime="07:00"
          eventTimeFormat={TIME_FORMAT}
          slotHeaderFormat={TIME_FORMAT}
          eventDisplay="block"
          dayMaxEvents={isPhone ? 2 : 4}
          moreLinkClick={onMoreLink}
          editable
          eventDurationEditable={false}
          longPressDelay={400}
          eventLongPressDelay={400}
          eventClick={onEventClick}
          eventDrop={onEventDrop}
          eventAllow={allowDrop}
          datesSet={onDatesSet}
          dateClick={onDateClick}
          noEventsText={t('calendar.empty')}
          nowIndicator
        />
      </Paper>

      <Legend />

      {observances.length > 0 && (
        <Paper withBorder p="sm" data-testid="calendar-observances">
          <Title order={3} size="h5" mb="xs">
            {t('calendar.observances.title')}
          </Title>
          <Stack gap={6}>
            {observances.map((o) => (
              <Group key={`${o.date}-${o.name}`} justify="space-between" wrap="wrap" gap="xs">
                <Group gap="xs" wrap="nowrap">
                  <Badge variant="light" color={o.kind === 'commemoration' ? 'grape' : 'red'} style={{ flexShrink: 0 }}>
                    {t(`calendar.observances.kind.${o.kind}`)}
                  </Badge>
                  <Text size="sm">
                    <strong>{dayLabel(o.date, lang, 'short')}</strong> · {observanceName(o, lang)}
                  </Text>
                </Group>
                <Button
                  variant="light"
                  size="compact-sm"
                  mih={44}
                  leftSection={<IconTemplate size={16} aria-hidden />}
                  onClick={() => setTemplateDay({ date: o.date, observance: o })}
                  data-testid="observance-template"
                  data-day={o.date}
                >
                  {t('calendar.templates.start')}
                </Button>
              </Group>
            ))}
          </Stack>
        </Paper>
      )}

      <MoveDialog
        entry={moving}
        timeZone={timeZone}
        defaultSlots={publishingSettings(unit).defaultSlots}
        onClose={() => setMoving(null)}
        onMove={(entry, at) => {
          setMoving(null);
          move(entry, at);
        }}
      />

      <TemplatePicker
        unitId={unit?.id}
        day={templateDay}
        onClose={() => setTemplateDay(null)}
        onChoose={(templateId, date) => {
          setTemplateDay(null);
          void navigate({ href: newPostHref(templateId, date) });
        }}
      />
    </Stack>
  );
}

function Legend() {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="wrap" aria-label={t('calendar.legend')} role="list" data-testid="calendar-legend">
      <Text size="sm" fw={600}>
        {t('calendar.legend')}:
      </Text>
      {CALENDAR_STATUSES.map((s) => (
        <span
          key={s}
          role="listitem"
          className="gaung-legend__item"
          style={{ background: STATUS_COLORS[s].background, color: STATUS_COLORS[s].text }}
        >
          {t(`calendar.status.${s}`)}
        </span>
      ))}
    </Group>
  );
}

function TemplatePicker({
  unitId,
  day,
  onClose,
  onChoose,
}: {
  unitId: number | undefined;
  day: { date: string; observance: Observance | null } | null;
  onClose: () => void;
  onChoose: (templateId: number, date: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const templates = useTemplates(unitId, day !== null);
  const items = templates.data?.items ?? [];
  // A greeting day lists greeting cards first.
  const preferred = day?.observance?.template_kind;
  const sorted = [...items].sort((a, b) => Number(b.kind === preferred) - Number(a.kind === preferred));
  return (
    <Modal
      opened={day !== null}
      onClose={onClose}
      title={t('calendar.templates.title')}
      closeButtonProps={{ 'aria-label': t('calendar.templates.close') }}
      data-testid="template-picker"
    >
      {day && (
        <Stack gap="xs">
          <Text size="sm">
            {dayLabel(day.date, lang, 'short')}
            {day.observance ? ` · ${observanceName(day.observance, lang)}` : ''}
          </Text>
          {templates.isLoading && <Loader size="sm" aria-label={t('calendar.loading')} />}
          {templates.error && (
            <Text size="sm" c="red.9" role="alert">
              {errorMessage(t, templates.error)}
            </Text>
          )}
          {templates.isSuccess && items.length === 0 && <Text size="sm">{t('calendar.templates.none')}</Text>}
          {sorted.map((tpl) => (
            <Button
              key={tpl.id}
              variant="default"
              justify="space-between"
              mih={44}
              onClick={() => onChoose(tpl.id, day.date)}
              rightSection={
                <Badge variant="light" color="gray" c="dark.6">
                  {t(`calendar.templates.kind.${tpl.kind}`)}
                </Badge>
              }
              data-testid="template-option"
            >
              {tpl.name}
            </Button>
          ))}
        </Stack>
      )}
    </Modal>
  );
}

export default CalendarPage;

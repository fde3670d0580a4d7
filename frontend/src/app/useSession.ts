import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { session } from '../api/session';
import { sessionKeys } from './queries';
import type { Me, Role, Unit } from '../api/types';

export function useLoggedIn(): boolean {
  return useSyncExternalStore(
    session.subscribe,
    () => session.isLoggedIn(),
    () => false,
  );
}

export function useMe() {
  return useQuery({ queryKey: sessionKeys.me, queryFn: api.me, staleTime: 5 * 60_000 });
}

const UNIT_KEY = 'gaung.unit';
const unitListeners = new Set<() => void>();

function storedUnitId(): number | null {
  const raw = localStorage.getItem(UNIT_KEY);
  return raw ? Number(raw) : null;
}

function unitsOf(me: Me | undefined, all: Unit[] | undefined): Unit[] {
  if (!me) return [];
  if (me.is_superuser && all?.length) return all;
  const seen = new Map<number, Unit>();
  for (const m of me.memberships) seen.set(m.unit.id, m.unit);
  return Array.from(seen.values());
}

export interface UnitContext {
  units: Unit[];
  unit: Unit | null;
  role: Role | null;
  setUnitId: (id: number) => void;
  isLoading: boolean;
}

/** The units this user works in and the one currently chosen (remembered per browser). */
export function useUnits(): UnitContext {
  const me = useMe();
  const all = useQuery({
    queryKey: sessionKeys.units,
    queryFn: api.units,
    enabled: Boolean(me.data?.is_superuser),
    staleTime: 5 * 60_000,
  });
  const [chosen, setChosen] = useState<number | null>(storedUnitId);

  useEffect(() => {
    const listener = () => setChosen(storedUnitId());
    unitListeners.add(listener);
    return () => {
      unitListeners.delete(listener);
    };
  }, []);

  const units = useMemo(() => unitsOf(me.data, all.data?.items), [me.data, all.data]);
  const unit = units.find((u) => u.id === chosen) ?? units[0] ?? null;
  const role = me.data?.memberships.find((m) => m.unit.id === unit?.id)?.role ?? (me.data?.is_superuser ? 'admin' : null);

  const setUnitId = useCallback((id: number) => {
    localStorage.setItem(UNIT_KEY, String(id));
    unitListeners.forEach((l) => l());
  }, []);

  return { units, unit, role, setUnitId, isLoading: me.isLoading || (Boolean(me.data?.is_superuser) && all.isLoading) };
}

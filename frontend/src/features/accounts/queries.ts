import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, client, unwrap } from '../../api/endpoints';
import type { Platform } from '../../api/types';
import type { AccountInfo, ManualPlatform } from './types';

export const accountsApi = {
  list: (unitId: number) => api.accounts(unitId),
  startConnect: (body: { unit_id: number; platform: Platform; account_id?: number }) =>
    unwrap(client.POST('/api/v1/accounts/connect', { body })),
  connectResult: (id: string) =>
    unwrap(client.GET('/api/v1/accounts/connect/{connection_id}', { params: { path: { connection_id: id } } })),
  choose: (id: string, externalIds: string[]) =>
    unwrap(
      client.POST('/api/v1/accounts/connect/{connection_id}/choose', {
        params: { path: { connection_id: id } },
        body: { external_ids: externalIds },
      }),
    ),
  manual: (body: { unit_id: number; platform: ManualPlatform; access_token: string; page_id?: string }) =>
    unwrap(client.POST('/api/v1/accounts/manual', { body })),
  disconnect: (id: number) =>
    unwrap(client.POST('/api/v1/accounts/{account_id}/disconnect', { params: { path: { account_id: id } } })),
  setEnabled: (id: number, enabled: boolean) =>
    unwrap(
      enabled
        ? client.POST('/api/v1/accounts/{account_id}/enable', { params: { path: { account_id: id } } })
        : client.POST('/api/v1/accounts/{account_id}/disable', { params: { path: { account_id: id } } }),
    ),
  xSpend: (unitId: number) =>
    unwrap(client.GET('/api/v1/units/{unit_id}/x-spend', { params: { path: { unit_id: unitId } } })),
  setXSpendCap: (unitId: number, capUsd: number | null) =>
    unwrap(
      client.PUT('/api/v1/units/{unit_id}/x-spend-cap', {
        params: { path: { unit_id: unitId } },
        body: { cap_usd: capUsd },
      }),
    ),
};

export const accountKeys = {
  list: (unitId: number | null | undefined) => ['accounts', unitId] as const,
  connect: (id: string) => ['account-connect', id] as const,
  xSpend: (unitId: number | null | undefined) => ['x-spend', unitId] as const,
};

/** How often the result of a connection is asked for while the platform has not answered. */
export const CONNECT_POLL_MS = 1500;

/** The platform accounts of a unit (the posts screens use the same list). */
export function useAccounts(unitId: number | null | undefined) {
  return useQuery({
    queryKey: accountKeys.list(unitId),
    queryFn: () => accountsApi.list(unitId!),
    enabled: unitId != null,
  });
}

/** Starts a connection; the caller sends the browser to the platform's authorize page. */
export function useStartConnect() {
  return useMutation({ mutationFn: accountsApi.startConnect });
}

/** The result of a connection, asked for again while it is still pending. */
export function useConnectResult(id: string | undefined) {
  return useQuery({
    queryKey: accountKeys.connect(id ?? ''),
    queryFn: () => accountsApi.connectResult(id!),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? CONNECT_POLL_MS : false),
  });
}

function useRefreshAccounts() {
  const queryClient = useQueryClient();
  return (unitId: number) => queryClient.invalidateQueries({ queryKey: accountKeys.list(unitId) });
}

export function useChooseConnect(id: string) {
  const queryClient = useQueryClient();
  const refresh = useRefreshAccounts();
  return useMutation({
    mutationFn: (externalIds: string[]) => accountsApi.choose(id, externalIds),
    onSuccess: (result) => {
      queryClient.setQueryData(accountKeys.connect(id), result);
      void refresh(result.unit_id);
    },
  });
}

export function useManualConnect(unitId: number) {
  const refresh = useRefreshAccounts();
  return useMutation({
    mutationFn: (input: { platform: ManualPlatform; access_token: string; page_id?: string }) =>
      accountsApi.manual({ unit_id: unitId, ...input }),
    onSuccess: () => void refresh(unitId),
  });
}

/** Puts a changed account into the cached list at once, then reloads the list. */
function useAccountChange<V>(unitId: number, mutationFn: (vars: V) => Promise<AccountInfo>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (changed) => {
      queryClient.setQueryData<{ items: AccountInfo[] }>(accountKeys.list(unitId), (old) =>
        old ? { items: old.items.map((a) => (a.id === changed.id ? changed : a)) } : old,
      );
      void queryClient.invalidateQueries({ queryKey: accountKeys.list(unitId) });
    },
  });
}

export function useDisconnect(unitId: number) {
  return useAccountChange(unitId, (id: number) => accountsApi.disconnect(id));
}

export function useSetEnabled(unitId: number) {
  return useAccountChange(unitId, ({ id, enabled }: { id: number; enabled: boolean }) =>
    accountsApi.setEnabled(id, enabled),
  );
}

/** This UTC month's estimated X spend of a unit. */
export function useXSpend(unitId: number | null | undefined) {
  return useQuery({
    queryKey: accountKeys.xSpend(unitId),
    queryFn: () => accountsApi.xSpend(unitId!),
    enabled: unitId != null,
  });
}

export function useSetXSpendCap(unitId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (capUsd: number | null) => accountsApi.setXSpendCap(unitId, capUsd),
    onSuccess: (spend) => queryClient.setQueryData(accountKeys.xSpend(unitId), spend),
  });
}

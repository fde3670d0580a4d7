import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** An account as the accounts screen reads it: the list item with its health. */
export type AccountInfo = Schemas['AccountRead'];
export type RateLimit = Schemas['RateLimitRead'];
export type ManualPlatform = Schemas['ManualAccountCreate']['platform'];
export type ConnectStart = Schemas['ConnectStart'];
export type ConnectStatus = Schemas['ConnectionStatus'];
export type ConnectErrorCode = Schemas['ConnectErrorCode'];
export type ConnectChoice = Schemas['ConnectChoice'];
export type ConnectResult = Schemas['ConnectResult'];
export type XSpend = Schemas['XSpend'];
export type XSpendClass = Schemas['ClassSpend'];

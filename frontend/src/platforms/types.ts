import type { TablerIcon } from '@tabler/icons-react';
import type { Platform } from '../api/types';

/** What the web app knows about one network: how it looks and how it counts a text. */
export interface Network {
  platform: Platform;
  /** i18n key of the name shown in lists and labels (e.g. "Facebook Page"). */
  labelKey: string;
  /** The network's own name, used inside sentences ("Facebook: 12/10 characters"). */
  name: string;
  icon: TablerIcon;
  /** A Mantine colour. */
  color: string;
  /** The longest text the network takes, in its own count. */
  maxLength: number;
  /** The length of an NFC-normalized text as the network counts it. */
  count: (normalized: string) => number;
}

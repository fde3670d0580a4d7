import { IconBrandX } from '@tabler/icons-react';
import { xWeightedLength } from '../lib/textLength';
import type { Network } from './types';

/** X: twitter-text v3 weighted length (URLs 23, emoji and CJK 2). */
export const x: Network = {
  platform: 'x',
  labelKey: 'platform.x',
  name: 'X',
  icon: IconBrandX,
  color: 'dark',
  maxLength: 280,
  count: xWeightedLength,
};

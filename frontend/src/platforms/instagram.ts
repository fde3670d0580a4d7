import { IconBrandInstagram } from '@tabler/icons-react';
import { codePointLength } from '../lib/textLength';
import type { Network } from './types';

/** Instagram: the caption's characters (code points). */
export const instagram: Network = {
  platform: 'instagram',
  labelKey: 'platform.instagram',
  name: 'Instagram',
  icon: IconBrandInstagram,
  color: 'pink',
  maxLength: 2200,
  count: codePointLength,
};

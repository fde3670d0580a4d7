import { IconBrandFacebook } from '@tabler/icons-react';
import { codePointLength } from '../lib/textLength';
import type { Network } from './types';

/** Facebook Pages: the message's characters (code points). */
export const facebook: Network = {
  platform: 'facebook',
  labelKey: 'platform.facebook',
  name: 'Facebook',
  icon: IconBrandFacebook,
  color: 'blue',
  maxLength: 63206,
  count: codePointLength,
};

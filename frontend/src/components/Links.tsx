import { Anchor, type AnchorProps } from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import { forwardRef, type AnchorHTMLAttributes } from 'react';

const MantineAnchor = forwardRef<HTMLAnchorElement, AnchorProps & AnchorHTMLAttributes<HTMLAnchorElement>>(
  (props, ref) => <Anchor ref={ref} {...props} />,
);
MantineAnchor.displayName = 'MantineAnchor';

/** A Mantine anchor that navigates with the router, with typed route params. */
export const AnchorLink = createLink(MantineAnchor);

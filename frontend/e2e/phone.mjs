// The phone every scenario uses: a 375-px touch screen in Indonesian.
export const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'id-ID' };

/** The calendar's API shapes, from the generated schema. */
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type CalendarEntry = Schemas['CalendarEntry'];
export type Observance = Schemas['Observance'];
export type ObservanceKind = Observance['kind'];
export type CalendarRead = Schemas['CalendarRead'];
export type CalendarDay = Schemas['CalendarDay'];
export type Template = Schemas['Template'];
export type TemplateKind = Schemas['TemplateKind'];

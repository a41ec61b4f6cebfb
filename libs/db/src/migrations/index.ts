import { InitialSchema1795330800000 } from './1795330800000-initial-schema';
import { NormalizedRecords1795334400000 } from './1795334400000-normalized-records';

/** Every migration, oldest first. New migrations are appended here. */
export const MIGRATIONS = [InitialSchema1795330800000, NormalizedRecords1795334400000];

import { InitialSchema1795330800000 } from './1795330800000-initial-schema';

/** Every migration, oldest first. New migrations are appended here. */
export const MIGRATIONS = [InitialSchema1795330800000];

// KPI keys, families, units and result shapes shared by engine, API and dashboard.
// (Filled in by the KPI engine work.)
export {};

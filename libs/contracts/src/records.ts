// Normalized records produced by the collectors and consumed by the KPI engine.
// (Filled in by the KPI engine work.)
export {};

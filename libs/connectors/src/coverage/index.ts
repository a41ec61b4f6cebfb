export { parseCobertura } from './cobertura.parser';
export { parseCoveragePyJson } from './coverage-py-json.parser';
export {
  DEFAULT_MAX_REPORT_BYTES,
  parseCoverageReport,
  type ParseCoverageOptions,
} from './coverage-report.parser';
export { COVERAGE_FORMATS, type CoverageFormat, type CoverageTotals } from './coverage-totals';
export { detectCoverageFormat, formatFromFilename } from './detect';
export {
  CoverageParseError,
  isCoverageParseError,
  type CoverageErrorCode,
  type CoverageErrorSource,
} from './errors';
export { parseIstanbulSummary } from './istanbul-summary.parser';
export { parseLcov } from './lcov.parser';
export { parseCoveragePercentFromDescription } from './status-description.parser';
export {
  COVERAGE_FILE_PREFERENCE,
  DEFAULT_COVERAGE_ZIP_LIMITS,
  extractCoverageFromZip,
  type CoverageZipLimits,
  type ExtractedCoverage,
} from './zip.extractor';
export {
  CoverageParserBusyError,
  parseCoverageReportInWorker,
  type ParseInWorkerOptions,
} from './parse-in-worker';
export { assertXmlShape, DEFAULT_XML_SHAPE_LIMITS, type XmlShape, type XmlShapeLimits } from './xml-shape';

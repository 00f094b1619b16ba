// Preloaded into a server process (NODE_OPTIONS=--import) to run its clock FULCRUM_TEST_CLOCK_SKEW_MS
// off this host's: a node of a cluster whose clock drifted.
const skew = Number(process.env.FULCRUM_TEST_CLOCK_SKEW_MS ?? 0);
const RealDate = Date;
class SkewedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + skew);
    else super(...args);
  }
  static now() {
    return RealDate.now() + skew;
  }
}
globalThis.Date = SkewedDate;

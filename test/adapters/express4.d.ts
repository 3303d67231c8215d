// `express4` is the npm alias of express@4 (dev dependency), used to run the adapter against both
// major versions. Its public surface used by these tests is the same as Express 5's typings.
declare module 'express4' {
  import express from 'express';
  export default express;
}

// The fixtures moved to ./fixtures (one API key, one service-account key for the tests, the bench and the demo);
// this re-export keeps the imports of files not yet moved over working. Import from ./fixtures.
export { API_KEY, FAKE_SERVICE_ACCOUNT } from "./fixtures";

// Registers cdktf's jest matchers (toHaveResourceWithProperties, …), as the
// cdktf TypeScript template's setup.js does; the adapter import in a test file
// only adds their types.
require("cdktf").Testing.setupJest();

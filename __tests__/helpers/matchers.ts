/**
 * Registers cdktf's jest matchers (toHaveResourceWithProperties, …).
 * `import "cdktf/lib/testing/adapters/jest"` only brings their types; the
 * cdktf template registers them from a jest setup file, which this project's
 * jest.config.js does not have, so every suite that uses them imports this.
 */
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();

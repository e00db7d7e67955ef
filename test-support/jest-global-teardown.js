module.exports = require("./jest-temp-dirs").teardown;

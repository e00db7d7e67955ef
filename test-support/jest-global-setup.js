module.exports = require("./jest-temp-dirs").setup;

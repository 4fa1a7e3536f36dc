/** Kept equal to package.json's version by a meta-test (bundles cannot read package.json). */
export const VERSION = '0.1.0';
export const INFORMATION_URI = 'https://github.com/portwall/portwall';

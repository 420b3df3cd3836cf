/** Largest lockfile or manifest read; bigger files are refused rather than risking memory. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** YAML alias expansions allowed in one document (billion-laughs guard). */
export const MAX_YAML_ALIASES = 100;
/** Deepest element nesting accepted in a pom.xml. */
export const MAX_XML_DEPTH = 256;
/** Directories deeper than this under the scanned root are not walked. */
export const MAX_WALK_DEPTH = 64;

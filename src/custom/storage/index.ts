export type { UserStore } from './store.js';
export { memoryStore } from './memory.js';
export { fileStore, type FileStoreOptions } from './file.js';

export type { UserStore, UserRecord, OpenOptions } from './store.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export type { StoreAccess } from './access.js';
export { keyValueStore, type KeyValueStore } from './key-value.js';
export { memoryStore, type MemoryStoreOptions } from './memory.js';
export { fileStore, type FileStoreOptions } from './file.js';

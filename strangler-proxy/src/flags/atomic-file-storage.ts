import fs from "node:fs";
import path from "node:path";
import type { ClientFeaturesResponse } from "unleash-client";

/** What the backup file held when it was read, and when it was written. */
export interface BackupRead {
  features: number;
  writtenAt: Date;
}

/**
 * unleash-client's StorageProvider, writing the same file its own FileStorageProvider would
 * (`<dir>/unleash-backup-<appName>.json`), but atomically: written to a temporary file and renamed,
 * so a crash mid-write never leaves a truncated backup that would start the proxy with no flags.
 */
export class AtomicFileStorage {
  constructor(
    private readonly dir: string,
    /** Called after each read: what the file held, or null when there is none (or it is empty). */
    private readonly onRead: (read: BackupRead | null) => void = () => undefined,
  ) {}

  /** The backup file of an app name (slashes replaced, as unleash-client does). */
  fileOf(key: string): string {
    return path.join(this.dir, `unleash-backup-${key.replace(/\//g, "_")}.json`);
  }

  async set(key: string, data: ClientFeaturesResponse): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const file = this.fileOf(key);
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(temporary, JSON.stringify(data));
    await fs.promises.rename(temporary, file);
  }

  async get(key: string): Promise<ClientFeaturesResponse | undefined> {
    const file = this.fileOf(key);
    let text: string;
    let writtenAt: Date;
    try {
      [text, writtenAt] = await Promise.all([
        fs.promises.readFile(file, "utf8"),
        fs.promises.stat(file).then((s) => s.mtime),
      ]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        this.onRead(null);
        return undefined;
      }
      throw error;
    }
    if (text.trim() === "") {
      this.onRead(null);
      return undefined;
    }
    let data: ClientFeaturesResponse;
    try {
      data = JSON.parse(text) as ClientFeaturesResponse;
    } catch (error) {
      this.onRead(null);
      throw new Error(`unleash backup file ${file} is not valid JSON: ${(error as Error).message}`);
    }
    this.onRead({ features: Array.isArray(data.features) ? data.features.length : 0, writtenAt });
    return data;
  }
}

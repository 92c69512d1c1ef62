import type { Migration } from './migration'

/**
 * Submissions: per-entry crop/trim/mask settings (applied when media are
 * exported, never to the originals), and de-identification records of DICOM
 * imports. The records hold no identifying value: the report lists tags and
 * actions, identifying values are kept only as HMAC digests (with the
 * fingerprint of the per-installation secret that made them) for the PHI
 * scan of submission bundles.
 */
export const migration005: Migration = {
  version: 5,
  name: 'crop/trim/mask settings, de-identification records',
  up(db) {
    db.exec(`
      CREATE TABLE media_edits (
        entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        -- crop.json's [top, left, size]; all NULL: no crop.
        crop_top INTEGER CHECK (crop_top >= 0),
        crop_left INTEGER CHECK (crop_left >= 0),
        crop_size INTEGER CHECK (crop_size > 0),
        -- crop.json's [start_frame, end_frame]: frames start .. start + floor(end - start) - 1; end may be fractional.
        trim_start INTEGER CHECK (trim_start >= 0),
        trim_end REAL,
        -- Rectangles blanked before cropping, in source pixels: [{"x","y","width","height"}].
        masks TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(masks)),
        -- Where the settings came from: crop.json, butterfly, user.
        origin TEXT NOT NULL,
        -- The crop.json key they were imported under (e.g. pocus_videos/convex/Reg-Youtube.mp4), for exporting crop.json again.
        source_key TEXT,
        -- SHA-256 of a media file the settings are already applied to (rebuilt from a raw download): not applied twice.
        baked_sha256 TEXT,
        updated_at TEXT NOT NULL,
        CHECK ((crop_top IS NULL) = (crop_left IS NULL) AND (crop_left IS NULL) = (crop_size IS NULL)),
        CHECK ((trim_start IS NULL) = (trim_end IS NULL)),
        CHECK (trim_end IS NULL OR trim_end > trim_start)
      ) STRICT;

      CREATE TABLE deid_records (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL UNIQUE REFERENCES entries(id) ON DELETE CASCADE,
        patient_key TEXT NOT NULL,
        -- Keyed digest of the SOP Instance UID: refuses a second import of the same instance.
        instance_key TEXT NOT NULL UNIQUE,
        -- The summary written beside the media (no identifying value), as JSON.
        summary TEXT NOT NULL CHECK (json_valid(summary)),
        -- [{"kind","digest"}]: HMACs of the removed identifying values, for the PHI scan.
        phi_digests TEXT NOT NULL CHECK (json_valid(phi_digests)),
        secret_fingerprint TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX deid_records_patient ON deid_records (patient_key);
    `)
  }
}

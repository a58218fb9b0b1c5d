// HashmarkMedia: filled in by its issue; see README "Layout".
import HashmarkFingerprint

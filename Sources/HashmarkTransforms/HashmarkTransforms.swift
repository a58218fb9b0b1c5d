// HashmarkTransforms: filled in by its issue; see README "Layout".

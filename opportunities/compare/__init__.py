"""The comparison: several opportunities side by side under the same weights."""

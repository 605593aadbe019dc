"""What a job writes: where (paths.py), how safely (files.py: all or none, never half a
file), in which formats (formats.py: txt, md, json, the joint record), the review page
(review.py), and a job's writer (writer.py: an input's four files, an archive's records).
"""

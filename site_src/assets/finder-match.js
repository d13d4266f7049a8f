// What the finder can offer when the words typed are not the name of a major in the standards:
// certificates, standards and fields whose names contain them, certificates whose keywords or
// field note (which names the majors a certificate serves) mention them, and majors with a
// similar name. Pure: data in, groups out; finder.js draws them.

// "物流管理专业" asks about 物流管理: the trailing 专业 is not part of any name.
export function normalise(query) {
  return query.trim().replace(/\s+/g, ' ').replace(/专业$/, '').trim();
}

const contains = (text, q) => Boolean(text) && text.includes(q);

// Either contains the other, so "物流管理" finds the 物流管理 certificate and "电子信息大类的证书"
// finds 电子信息大类. Names of one character never match by being contained.
const overlaps = (name, q) => contains(name, q) || (name.length >= 2 && q.includes(name));

export function matchQuery(query, { majors, certificates, standards }) {
  const q = normalise(query);
  if (!q) return { query: q, groups: [] };
  const byName = certificates.filter((c) => overlaps(c.short_name, q) || contains(c.name, q));
  const named = new Set(byName.map((c) => c.id));
  const byNote = certificates.filter(
    (c) =>
      !named.has(c.id) &&
      ((c.keywords || []).some((k) => overlaps(k, q)) || contains(c.field_note, q)),
  );
  const fields = new Map();
  for (const c of certificates) {
    if (overlaps(c.field.name, q) || overlaps(c.field.name.replace(/大类$/, ''), q)) {
      fields.set(c.field.id, { name: c.field.name, url: `/fields/${c.field.id}/` });
    }
  }
  const groups = [
    { kind: 'certificate', label: `名称含“${q}”的证书`, items: byName },
    { kind: 'certificate', label: `关键词或所服务专业中提到“${q}”的证书`, items: byNote },
    {
      kind: 'standard',
      label: `名称含“${q}”的职业技能等级标准`,
      items: standards.filter((s) => contains(s.name, q)),
    },
    { kind: 'field', label: `名称含“${q}”的领域`, items: [...fields.values()] },
    {
      kind: 'major',
      label: '名称相近的专业',
      items: majors.filter((m) => m.name !== q && overlaps(m.name, q)),
    },
  ];
  return { query: q, groups: groups.filter((g) => g.items.length) };
}

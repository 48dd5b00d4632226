const { badRdfBody, SeededRandom } = require('./dist/test/harness/fuzz');
const { parseRdf } = require('./dist/shapes/parseRdf');
const { validateDataset } = require('./dist/shapes/validateDataset');
const { productToQuads } = require('./dist/shapes/access/productRdf');
const { quadsToTurtle } = require('./dist/shapes/access/podIo');
const { generateProducts } = require('./dist/shapes/demo/catalogData');
const URL_ = 'http://localhost:3000/greenacres/catalog/carrots';
(async () => {
  const r = new SeededRandom(20261202); const products = generateProducts(5);
  for (let i = 0; i < 300; i++) {
    const seedDoc = Buffer.from(quadsToTurtle(productToQuads(URL_, r.pick(products))));
    const { label, body, contentType } = badRdfBody(r, URL_, seedDoc);
    console.log("start", i, label, contentType, body.length);
    const t0 = Date.now(); let phase = 'parse', n = 0;
    try { const q = await parseRdf(body.toString('utf8'), contentType, URL_); n = q.length; phase = 'validate'; const t1 = Date.now(); validateDataset('catalog', q); if (Date.now()-t1 > 300) console.log('  validate slow', Date.now()-t1); phase='ok'; }
    catch (e) { phase += ' ' + e.name + ': ' + e.message.slice(0, 100); }
    const dt = Date.now() - t0;
    if (dt > 300) console.log(i, dt, 'ms', label, contentType, n, phase);
  }
})();

import { strict as assert } from 'node:assert';
import { productToQuads } from '../../../shapes/access/productRdf';
import { quadsToTurtle } from '../../../shapes/access/podIo';
import { generateProducts } from '../../../shapes/demo/catalogData';
import { parseRdf } from '../../../shapes/parseRdf';
import { RdfSyntaxError } from '../../../shapes/RdfSyntaxError';
import { validateDataset } from '../../../shapes/validateDataset';
import { badRdfBody, fuzzCases, fuzzSeed, readableProblem, SeededRandom } from '../../harness/fuzz';

const PRODUCT_URL = 'http://localhost:3000/greenacres/catalog/carrots';

// The parser and the shapes sit under every RDF write path (the pod's store, import, restore, the bridges): whatever a
// body holds, they must end in quads or a syntax error with a readable message, never another exception or a hang.
describe('Fuzzing the RDF parser and the shapes', function(this: Mocha.Suite): void {
  this.timeout(300_000);
  const seed = fuzzSeed();
  const products = generateProducts(5);

  it(`ends every damaged or hostile body in quads or one readable syntax error (seed ${seed}).`, async(): Promise<void> => {
    const random = new SeededRandom(seed);
    const cases = fuzzCases(1_500);
    const outcomes = { parsed: 0, refused: 0 };
    for (let index = 0; index < cases; index += 1) {
      const seedDocument = Buffer.from(await quadsToTurtle(productToQuads(PRODUCT_URL, random.pick(products))));
      const { label, body, contentType } = badRdfBody(random, PRODUCT_URL, seedDocument);
      const where = `case ${index} (${label}, as ${contentType}; replay with FMP_FUZZ_SEED=${seed})`;
      try {
        const quads = await parseRdf(body.toString('utf8'), contentType, PRODUCT_URL);
        const report = validateDataset('catalog', quads);
        for (const violation of report.violations) {
          assert.equal(readableProblem(violation.message), undefined, `${where}: ${violation.message}`);
        }
        outcomes.parsed += 1;
      } catch (error: unknown) {
        const isExpected = RdfSyntaxError.isInstance(error) || (error as Error).name === 'UnsupportedContentTypeError';
        assert.ok(isExpected, `${where} threw ${(error as Error).name}: ${(error as Error).message}`);
        assert.equal(readableProblem((error as Error).message), undefined, `${where}: ${(error as Error).message.slice(0, 500)}`);
        outcomes.refused += 1;
      }
    }
    assert.ok(outcomes.refused > cases / 2, `most cases are bad input (${JSON.stringify(outcomes)})`);
  });
});

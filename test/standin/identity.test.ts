// Every grade belongs to the student it names (identity.ts), on a second stand-in of its own when
// LAB_GRADER_STANDIN_SECOND_URL is set (CI starts one), beside the reference system's file, which
// empties its own stand-in; without it, standin.test.ts runs these tests after its own.
import { describeEveryGradeBelongs } from './identity.js';

describeEveryGradeBelongs(process.env.LAB_GRADER_STANDIN_SECOND_URL);

// chartjs.js: Chart.js with only what the dashboard draws registered: the
// bar controller, bar elements, the category and linear scales (no line,
// pie or radar code, no tooltip, legend or title plugin). charts.jsx
// imports this module dynamically, so vite puts Chart.js in its own chunk
// that only pages with a chart load.
import { BarController, BarElement, CategoryScale, Chart, LinearScale } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale);

export { Chart };

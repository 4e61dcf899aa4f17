// Form under construction in issue 19's branch; replaced before it lands.
import type { ActionFormProps } from '../types';

export default function Form({ action }: ActionFormProps) {
  return <p>{action.command}</p>;
}

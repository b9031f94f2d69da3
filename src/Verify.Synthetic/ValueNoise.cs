namespace Verify.Synthetic;

/// <summary>Smooth noise in [0, 1]: random values on a coarse grid, interpolated with a smoothstep.</summary>
internal sealed class ValueNoise
{
    private readonly double[] _grid;
    private readonly int _columns;
    private readonly int _cell;

    public ValueNoise(Random random, int width, int height, int cell)
    {
        _cell = cell;
        _columns = (width / cell) + 2;
        _grid = new double[_columns * ((height / cell) + 2)];
        for (int i = 0; i < _grid.Length; i++)
        {
            _grid[i] = random.NextDouble();
        }
    }

    public double At(int x, int y)
    {
        int gx = x / _cell, gy = y / _cell;
        double fx = Smooth((double)(x % _cell) / _cell), fy = Smooth((double)(y % _cell) / _cell);
        int i = (gy * _columns) + gx;
        double top = _grid[i] + ((_grid[i + 1] - _grid[i]) * fx);
        double bottom = _grid[i + _columns] + ((_grid[i + _columns + 1] - _grid[i + _columns]) * fx);
        return top + ((bottom - top) * fy);
    }

    private static double Smooth(double t) => t * t * (3 - (2 * t));
}
